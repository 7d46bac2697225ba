// tests/browser/firstpaint.js: how soon the offline index shows something
// on a phone-class CPU.
//
// Opens each index.html given from file:// in headless Chromium (the
// Debian package, driven by playwright-core) with a phone's viewport and
// the CPU slowed down by Chrome DevTools Protocol's
// Emulation.setCPUThrottlingRate before the navigation, and reports the
// median over the runs of first-paint and first-contentful-paint (the
// page's own performance.getEntriesByType('paint')) and DOMContentLoaded,
// in milliseconds from the start of the navigation.  Every run has a
// fresh browser context (no cache); any request that is not file:// is
// refused and counted.  It measures only: firstpaint.sh builds the
// mirrors and installs playwright-core; nothing here is part of
// `make check`.
//
//   node firstpaint.js [--runs N] [--rate R] [--json FILE] NAME=INDEX.html...
//
// Environment: CHROMIUM (default /usr/bin/chromium); NODE_PATH must
// reach playwright-core.
'use strict';

const fs = require('fs');
const path = require('path');
const { pathToFileURL } = require('url');
const { chromium } = require('playwright-core');

const BUDGET_MS = 1000;		// the bound for the seed mirror
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu',
	'--disable-background-networking', '--disable-component-update',
	'--disable-sync', '--no-first-run'];
const PHONE = { viewport: { width: 360, height: 740 },
	deviceScaleFactor: 2, isMobile: true, hasTouch: true };

function usage() {
	process.stderr.write('usage: node firstpaint.js [--runs N] ' +
	    '[--rate R] [--json FILE] NAME=INDEX.html...\n');
	process.exit(2);
}

function parseArgs(argv) {
	const o = { runs: 5, rate: 4, json: null, pages: [] };
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (a === '--runs' || a === '--rate' || a === '--json') {
			if (i + 1 >= argv.length)
				usage();
			const v = argv[++i];
			if (a === '--json')
				o.json = v;
			else if (!(Number(v) > 0))
				usage();
			else
				o[a.slice(2)] = Number(v);
		} else if (/^[^=]+=/.test(a)) {
			const eq = a.indexOf('=');
			o.pages.push({ name: a.slice(0, eq),
			    file: path.resolve(a.slice(eq + 1)) });
		} else
			usage();
	}
	if (o.pages.length === 0)
		usage();
	return o;
}

function median(xs) {
	const s = xs.filter((x) => x !== null).sort((a, b) => a - b);
	if (s.length === 0)
		return null;
	const m = s.length >> 1;
	return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

// One cold load of url; the paint entries and DOMContentLoaded in ms.
async function once(browser, url, rate) {
	const context = await browser.newContext(PHONE);
	const page = await context.newPage();
	let refused = 0;
	await page.route('**/*', (route) => {
		if (route.request().url().startsWith('file:'))
			return route.continue();
		refused++;
		return route.abort();
	});
	const cdp = await context.newCDPSession(page);
	await cdp.send('Emulation.setCPUThrottlingRate', { rate: rate });
	await page.goto(url, { waitUntil: 'load', timeout: 120000 });
	// Paint entries can land just after load: wait for the contentful one.
	await page.waitForFunction(() => performance.getEntriesByType('paint')
	    .some((e) => e.name === 'first-contentful-paint'), null,
	    { timeout: 30000 }).catch(() => {});
	const t = await page.evaluate(() => {
		const out = { fp: null, fcp: null, dcl: null, load: null };
		for (const e of performance.getEntriesByType('paint')) {
			if (e.name === 'first-paint')
				out.fp = e.startTime;
			else if (e.name === 'first-contentful-paint')
				out.fcp = e.startTime;
		}
		const nav = performance.getEntriesByType('navigation')[0];
		if (nav) {
			out.dcl = nav.domContentLoadedEventEnd;
			out.load = nav.loadEventEnd;
		}
		return out;
	});
	t.refused = refused;
	await context.close();
	return t;
}

function fmt(x) {
	return x === null ? '     -' : x.toFixed(0).padStart(6);
}

async function main() {
	const o = parseArgs(process.argv.slice(2));
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
		args: ARGS,
	});
	const version = browser.version();
	const results = [];
	try {
		for (const p of o.pages) {
			const st = fs.statSync(p.file);
			const js = path.join(path.dirname(p.file), 'search.js');
			const jsBytes = fs.existsSync(js) ? fs.statSync(js).size : 0;
			const url = pathToFileURL(p.file).href;
			const runs = [];
			// One load first, not counted: the file is in the OS cache
			// for every measured run alike.
			await once(browser, url, o.rate);
			for (let i = 0; i < o.runs; i++)
				runs.push(await once(browser, url, o.rate));
			results.push({
				name: p.name, file: p.file, html_bytes: st.size,
				search_js_bytes: jsBytes, cpu_throttling: o.rate,
				runs: runs,
				first_paint_ms: median(runs.map((r) => r.fp)),
				first_contentful_paint_ms:
				    median(runs.map((r) => r.fcp)),
				dom_content_loaded_ms:
				    median(runs.map((r) => r.dcl)),
				load_ms: median(runs.map((r) => r.load)),
				refused_requests: runs.reduce((n, r) =>
				    n + r.refused, 0),
			});
		}
	} finally {
		await browser.close();
	}
	console.log(`Chromium ${version}, CPU throttling x${o.rate}, ` +
	    `${PHONE.viewport.width}x${PHONE.viewport.height} phone viewport, ` +
	    `median of ${o.runs} cold loads from file:// (ms)`);
	console.log('mirror             index.html search.js    FP   FCP' +
	    '   DCL  load  refused');
	for (const r of results) {
		console.log(`${r.name.padEnd(18)} ` +
		    `${(r.html_bytes / 1e3).toFixed(0).padStart(7)} kB ` +
		    `${(r.search_js_bytes / 1e3).toFixed(0).padStart(6)} kB` +
		    `${fmt(r.first_paint_ms)}${fmt(r.first_contentful_paint_ms)}` +
		    `${fmt(r.dom_content_loaded_ms)}${fmt(r.load_ms)}` +
		    `  ${String(r.refused_requests).padStart(7)}`);
	}
	for (const r of results) {
		const fcp = r.first_contentful_paint_ms;
		console.log(`${r.name}: first contentful paint ` +
		    (fcp === null ? 'not reported' : `${fcp.toFixed(0)} ms, ` +
		    (fcp < BUDGET_MS ? 'under' : 'OVER') + ` ${BUDGET_MS} ms`));
	}
	if (o.json)
		fs.writeFileSync(o.json, JSON.stringify(results, null, 1) + '\n');
}

main().catch((e) => {
	process.stderr.write(`firstpaint: ${e.stack || e}\n`);
	process.exit(1);
});
