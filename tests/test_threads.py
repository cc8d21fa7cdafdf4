"""one_thread sets torch's thread count inside its block and restores it afterwards."""

import pytest
import torch

from course_rnn.torch.threads import one_thread


def test_one_thread_inside_and_restored_after():
    before = torch.get_num_threads()
    with one_thread():
        assert torch.get_num_threads() == 1
    assert torch.get_num_threads() == before


def test_one_thread_restores_after_an_error():
    before = torch.get_num_threads()
    with pytest.raises(RuntimeError), one_thread():
        raise RuntimeError("inside the block")
    assert torch.get_num_threads() == before
