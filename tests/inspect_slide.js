// What a viewer of the present slide would find wrong; run by tests/test_decks.py as
// page.evaluate(source, [smallestLabelPx, maxCodeLine]). Returns {heading, minutes, notes, problems}.
([smallestLabelPx, maxCodeLine]) => {
  const slide = Reveal.getCurrentSlide();
  const scale = Reveal.getScale();
  const frame = document.querySelector(".reveal .slides").getBoundingClientRect();
  const notes = slide.querySelector("aside.notes");
  const heading = slide.querySelector(":scope > h1, :scope > h2");
  const problems = [];
  const describe = (el) =>
    `<${el.tagName.toLowerCase()}> "${(el.innerText || el.textContent || "").trim().slice(0, 50)}"`;
  const visible = (el) => {
    const style = getComputedStyle(el);
    return style.display !== "none" && style.visibility !== "hidden";
  };

  if (!heading || !heading.innerText.trim()) problems.push("no heading");

  // Outside the slide, or cut off by a box that hides or scrolls its overflow.
  const reported = new Set();
  for (const el of slide.querySelectorAll("*")) {
    if (el.closest("aside.notes, mjx-assistive-mml, svg > metadata") || !visible(el)) continue;
    if ([...reported].some((r) => r.contains(el))) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.left < frame.left - 2 || r.right > frame.right + 2 ||
        r.top < frame.top - 2 || r.bottom > frame.bottom + 2) {
      problems.push(`outside the slide by ${Math.round(Math.max(frame.left - r.left,
        r.right - frame.right, frame.top - r.top, r.bottom - frame.bottom) / scale)} px: ` +
        describe(el));
      reported.add(el);
      continue;
    }
    // MathJax clips inside its own layout (stretched braces): its box as a whole is checked.
    const overflow = getComputedStyle(el).overflow;
    if (overflow !== "visible" && !el.parentElement.closest("mjx-container") && (el.scrollWidth > el.clientWidth + 2 ||
                                   el.scrollHeight > el.clientHeight + 2)) {
      problems.push("cut off (scrolls or hides its content): " + describe(el));
      reported.add(el);
    }
  }

  // Raw markup or TeX in the text a viewer reads (code is left as written).
  const walker = document.createTreeWalker(slide, NodeFilter.SHOW_TEXT);
  const skip = "pre, code, mjx-container, aside.notes, script, style, svg, .html-output";
  let text = "";
  while (walker.nextNode()) {
    if (!walker.currentNode.parentElement.closest(skip)) text += walker.currentNode.data + " ";
  }
  const raw = [/\$/, /\\[a-zA-Z]+/, /\{(cite|doc|ref|eq|numref|prf:[a-z]+|math)\}/, /```/,
               /:::/, /\*\*/, /^\s*%/m, /\]\(/, /:label:|:class:/];
  for (const pattern of raw) {
    const m = text.match(pattern);
    if (m) problems.push(`raw markup or TeX: "${text.slice(Math.max(0, m.index - 20), m.index + 30)}"`);
  }
  if (slide.querySelector("mjx-merror, .MathJax_Error")) problems.push("a MathJax error");

  // Figures: the smallest label (matplotlib writes glyphs at scale(size/100)) in slide pixels.
  for (const svg of slide.querySelectorAll(".figure svg")) {
    const box = svg.getBoundingClientRect();
    const pxPerPt = Math.min(box.width / parseFloat(svg.getAttribute("width")),
                             box.height / parseFloat(svg.getAttribute("height"))) / scale;
    const sizes = [...svg.outerHTML.matchAll(/scale\(([0-9.]+) -[0-9.]+\)/g)].map((m) => 100 * m[1]);
    const smallest = Math.min(...sizes, 10) * pxPerPt;
    if (smallest < smallestLabelPx) {
      problems.push(`figure labels ${smallest.toFixed(1)} px high, under ${smallestLabelPx} px`);
    }
  }
  // A PNG from matplotlib records its resolution (the pHYs chunk): its 10 pt labels are
  // 10 / 72 inch high, which the image's shown size turns into slide pixels.
  const pngDpi = (src) => {
    if (!src.startsWith("data:image/png;base64,")) return null;
    const bytes = atob(src.slice(22, 22 + 4000));
    const at = bytes.indexOf("pHYs");
    if (at < 0) return null;
    const perMetre = [0, 1, 2, 3].reduce((n, k) => n * 256 + bytes.charCodeAt(at + 4 + k), 0);
    return perMetre * 0.0254;
  };
  for (const img of slide.querySelectorAll("img")) {
    const shown = img.getBoundingClientRect().width / scale;
    const dpi = pngDpi(img.getAttribute("src") || "");
    if (!img.complete || img.naturalWidth === 0) problems.push("an image did not load");
    else if (img.naturalWidth < 0.95 * shown) {
      problems.push(`an image of ${img.naturalWidth} px is blown up to ${Math.round(shown)} px`);
    } else if (dpi && (10 / 72) * dpi * (shown / img.naturalWidth) < smallestLabelPx) {
      const label = (10 / 72) * dpi * (shown / img.naturalWidth);
      problems.push(`image labels ${label.toFixed(1)} px high, under ${smallestLabelPx} px`);
    }
  }

  // Code on a slide is short: read from the back of a room, about 70 characters a line at most.
  for (const code of slide.querySelectorAll("pre:not(.output)")) {
    const longest = Math.max(...code.innerText.split("\n").map((line) => line.length));
    if (longest > maxCodeLine) problems.push(`a code line of ${longest} characters: ` + describe(code));
  }

  // A sentence that announces what follows (it ends with a colon) has something after it.
  const follows = (p) => [...slide.querySelectorAll("*")].some((el) => !p.contains(el) &&
    !el.closest("aside.notes") && (p.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING));
  for (const p of slide.querySelectorAll("p")) {
    if (!p.closest("aside.notes") && /:\s*$/.test(p.innerText) && !follows(p)) {
      problems.push("a sentence announces what the slide does not show: " + describe(p));
    }
  }

  // No solution on a student's slide.
  if (slide.querySelector("details") || /Solution to/.test(slide.innerText)) {
    problems.push("a solution is on the slide");
  }

  // Notes: their math must be MathML (the speaker view runs no MathJax).
  if (notes && (/\$|\\[a-zA-Z]+/.test(notes.textContent) || notes.querySelector("mjx-container"))) {
    problems.push("speaker notes hold raw or MathJax-typeset TeX");
  }
  const noteText = notes ? notes.innerText.replace(/^[0-9.]+ min/, "").trim() : "";
  return {
    heading: heading ? heading.innerText.trim() : "",
    minutes: parseFloat(slide.dataset.minutes || "0"),
    notes: noteText.length > 0,
    problems,
  };
}
