// contrast.js: the body of a function run in a page (marionette.py js).
// For every piece of text the page draws, and for its form controls, it
// takes the colours the browser computed, composes the backgrounds behind
// the text, and measures the contrast ratio as WCAG 2 defines it: at
// least 4.5:1 for text, 3:1 for large text (24 px, or 18.66 px bold).
// It returns {checked: N, low: ["ratio fg on bg: where: text", ...]}
// with one line per distinct low pair.

function parse(s) {
	var m = /^rgba?\(([^)]*)\)$/.exec(String(s).trim()), p;
	if (!m)
		return null;
	p = m[1].split(/[\s,\/]+/).filter(function (x) { return x !== ""; });
	return { r: +p[0], g: +p[1], b: +p[2],
	    a: p.length > 3 ? (/%$/.test(p[3]) ? parseFloat(p[3]) / 100 : +p[3]) : 1 };
}
function over(top, under) {	// top composed over an opaque colour
	var a = top.a;
	return { r: top.r * a + under.r * (1 - a), g: top.g * a + under.g * (1 - a),
	    b: top.b * a + under.b * (1 - a), a: 1 };
}
function lum(c) {
	function ch(v) {
		v /= 255;
		return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
	}
	return 0.2126 * ch(c.r) + 0.7152 * ch(c.g) + 0.0722 * ch(c.b);
}
function canvas() {	// the colour under everything
	var e = document.createElement("div"), c;
	e.style.backgroundColor = "Canvas";
	document.body.appendChild(e);
	c = parse(getComputedStyle(e).backgroundColor);
	e.remove();
	return c && c.a === 1 ? c : { r: 255, g: 255, b: 255, a: 1 };
}
var base = canvas(), problems = [];
function background(el) {	// null when an image lies behind the text
	var layers = [], cs, c, i, bg = base;
	for (; el && el.nodeType === 1; el = el.parentElement) {
		cs = getComputedStyle(el);
		if (cs.backgroundImage !== "none")
			return null;
		c = parse(cs.backgroundColor);
		if (c && c.a > 0)
			layers.push(c);
		if (c && c.a === 1)
			break;
	}
	for (i = layers.length - 1; i >= 0; i--)
		bg = over(layers[i], bg);
	return bg;
}
function hex(c) {
	return "#" + [c.r, c.g, c.b].map(function (v) {
		return ("0" + Math.round(v).toString(16)).slice(-2);
	}).join("");
}
function where(el) {
	var s = el.tagName.toLowerCase();
	if (el.id)
		s += "#" + el.id;
	if (el.className && typeof el.className === "string")
		s += "." + el.className.trim().split(/\s+/).join(".");
	return s;
}
var seen = {}, checked = 0, low = [];
function check(el, text) {
	var cs = getComputedStyle(el), fg = parse(cs.color), bg, r, size, big;
	var key, l1, l2;
	if (!el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true }))
		return;
	bg = background(el);
	if (!fg || !bg) {
		low.push("cannot tell the colours of " + where(el) + ": " + cs.color);
		return;
	}
	fg = over(fg, bg);
	l1 = lum(fg); l2 = lum(bg);
	r = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
	size = parseFloat(cs.fontSize);
	big = size >= 24 || (size >= 18.66 && +cs.fontWeight >= 700);
	checked++;
	if (r >= (big ? 3 : 4.5))
		return;
	key = where(el) + hex(fg) + hex(bg);
	if (seen[key])
		return;
	seen[key] = true;
	low.push(r.toFixed(2) + " " + hex(fg) + " on " + hex(bg) + ": " +
	    where(el) + ": " + text.trim().slice(0, 40));
}
var walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT), n;
while ((n = walk.nextNode()) !== null) {
	if (!/\S/.test(n.nodeValue))
		continue;
	if (n.parentElement.closest("script,style,noscript,option,template"))
		continue;
	check(n.parentElement, n.nodeValue);
}
document.querySelectorAll("input,select,textarea").forEach(function (el) {
	check(el, el.value || el.tagName);
});
return { checked: checked, low: low };
