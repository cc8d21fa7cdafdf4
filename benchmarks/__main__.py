"""``python -m benchmarks`` (or ``make bench``): speed tables against torch.nn.

    python -m benchmarks                    the full report on the CPU (about a minute)
    python -m benchmarks --quick            small sizes, one repeat: checks that it runs
    python -m benchmarks --device cuda      torch backend vs torch.nn (cuDNN) on a GPU
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics

import numpy as np
import torch

from benchmarks.recurrent import FLOOR, FUSED, Size, flops, measure
from benchmarks.timing import format_table, median_ratio, spread

TARGETS = {  # ratio to torch.nn the issue asks for, of each backend's default (CPU, float32)
    ("course_rnn.numpy", "LSTM"): 1.4, ("course_rnn.numpy", "GRU"): 1.3,
    ("course_rnn.numpy", "RNN"): 1.1, (FUSED, "LSTM"): 1.3,
    ("course_rnn.torch", "GRU"): 1.2, (FUSED, "RNN"): 1.2,
}


def ratio_table(size: Size, repeats: int, device: str) -> str:
    rows = []
    for kind in ("RNN", "LSTM", "GRU"):
        samples = measure(kind, size, repeats, device)
        for name, times in samples.items():
            target = TARGETS.get((name, kind))
            seconds = statistics.median(times)
            rows.append([kind, name, f"{seconds * 1e3:.1f}", f"{spread(times):.0%}",
                         f"{median_ratio(times, samples['torch.nn']):.2f}",
                         f"{median_ratio(times, samples[FLOOR]):.2f}" if FLOOR in samples
                         else "",
                         "" if target is None or device != "cpu" else f"<= {target}",
                         f"{flops(kind, size) / seconds / 1e9:.1f}"])
    return format_table(["cell", "implementation", "ms", "spread", "x torch.nn", "x floor",
                         "target", "GFLOP/s"], rows)


def scaling_table(kind: str, sizes: list[Size], repeats: int, device: str, label) -> str:
    measured = [measure(kind, size, repeats, device) for size in sizes]
    rows = [[label(size)] + [f"{statistics.median(times) * 1e3:.1f}" for times in run.values()]
            for size, run in zip(sizes, measured)]
    return format_table([label.__doc__] + [f"{name} ms" for name in measured[0]], rows)


def t_label(size):
    """T"""
    return str(size.T)


def h_label(size):
    """H"""
    return str(size.H)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one repeat")
    parser.add_argument("--threads", type=int, default=2, help="torch intra-op threads")
    args = parser.parse_args(argv)
    if args.device == "cuda" and not torch.cuda.is_available():
        parser.error("--device cuda: no CUDA device is available")
    torch.set_num_threads(args.threads)
    base = Size(T=5, N=4, D=8, H=16) if args.quick else Size()
    repeats = 1 if args.quick else args.repeats
    print(f"torch {torch.__version__}, numpy {np.__version__}, {platform.machine()}, "
          f"{os.cpu_count()} CPUs, torch threads {torch.get_num_threads()}, device {args.device}"
          + (f" ({torch.cuda.get_device_name()})" if args.device == "cuda" else ""))
    print(f"\nForward + backward, float32, {base}, median of {repeats} (spread: interquartile "
          "range / median; x torch.nn, x floor: median of the ratios within each repeat to "
          "torch.nn and to the GEMM floor, the matrix products alone)\n")
    print(ratio_table(base, repeats, args.device))
    scale = [1, 2] if args.quick else [0.5, 1, 2, 4]
    print(f"\nLSTM time as T grows (N={base.N}, D={base.D}, H={base.H})\n")
    print(scaling_table("LSTM", [Size(int(base.T * s), base.N, base.D, base.H) for s in scale],
                        max(1, repeats // 2), args.device, t_label))
    print(f"\nLSTM time as H grows (T={base.T}, N={base.N}, D={base.D})\n")
    print(scaling_table("LSTM", [Size(base.T, base.N, base.D, int(base.H * s))
                                 for s in scale[:3]], max(1, repeats // 2), args.device, h_label))


if __name__ == "__main__":
    main()
