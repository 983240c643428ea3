/* The view-state router, run in the browser: a control, a map click, a button or the address
   (load, deep link, back/forward) gives the new canonical state, its query string, the state
   slices that changed and the controls' values, with no round trip, so a click fires the views'
   server callbacks at once. The twin of callbacks/router.py (which the benchmark client replays
   and a browser test compares with this file on many inputs). What it reads about the data
   (months, units, categories...) is in the page's router-domain store. The server still cleans
   every slice it receives (callbacks.state.clean_slice): nothing here is trusted. */
(function () {
    'use strict';

    const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
    const has = (list, v) => list.indexOf(v) !== -1;
    // Python's truth value (an empty list or object is false there, true in JavaScript)
    const truthy = (v) => (Array.isArray(v) ? v.length > 0 : isObject(v) ? Object.keys(v).length > 0 : !!v);
    const text = (v) => (typeof v === 'string' && [...v].length <= 64 ? v : null);
    const sortedUnique = (list) => [...new Set(list)].sort();
    const same = (a, b) => {
        if (Array.isArray(a) || Array.isArray(b)) {
            return Array.isArray(a) && Array.isArray(b) && a.length === b.length &&
                a.every((x, i) => same(x, b[i]));
        }
        if (isObject(a) || isObject(b)) {
            if (!isObject(a) || !isObject(b)) return false;
            const keys = Object.keys(a);
            return keys.length === Object.keys(b).length &&
                keys.every((k) => Object.prototype.hasOwnProperty.call(b, k) && same(a[k], b[k]));
        }
        return a === b || (a == null && b == null);
    };

    function shiftMonth(month, delta) {
        const n = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + delta;
        const year = Math.floor(n / 12), m = n - year * 12 + 1;
        return String(year).padStart(4, '0') + '-' + String(m).padStart(2, '0');
    }

    function presetRange(preset, last) {
        if (preset === '1') return [last, last];
        if (preset === '3') return [shiftMonth(last, -2), last];
        if (preset === '12') return [shiftMonth(last, -11), last];
        return [last.slice(0, 4) + '-01', last];  // "year"
    }

    function defaultState(D) {
        const [start, end] = presetRange(D.default_preset, D.last_month);
        return Object.assign({
            lang: D.default_language, mode: '', tab: 'overview', level: 1, region: '',
            start: start, end: end, preset: D.default_preset,
            cats: [...D.default_categories].sort(), sector: '', ind: D.default_indicator, unit: '',
        }, D.default_weights);
    }

    // float() of Python on a stripped string: digits with optional "_" between them, a point,
    // an exponent; anything else is not a number (infinities and NaN are out of range anyway).
    const FLOAT = /^[+-]?(\d(_?\d)*)?(\.(\d(_?\d)*)?)?([eE][+-]?\d(_?\d)*)?$/;

    // round(x, 2) of Python: the nearest two-decimal number, ties (odd eighths) to even.
    function round2(x) {
        if (Number.isInteger(x * 8) && !Number.isInteger(x * 4)) {
            const n = Math.floor(x * 100);
            return (n % 2 === 0 ? n : n + 1) / 100;
        }
        return Number(x.toFixed(2));
    }

    function cleanWeight(value) {
        let number = value;
        if (typeof value === 'string') {
            const s = value.trim().replace(/,/g, '.');
            if (!FLOAT.test(s) || !/\d/.test(s.split(/[eE]/)[0])) return null;
            number = Number(s.replace(/_/g, ''));
        } else if (typeof value !== 'number') {
            return null;
        }
        if (Number.isNaN(number) || !(number >= 0 && number <= 1)) return null;
        return round2(number);
    }

    function cleanState(raw, D) {
        const state = defaultState(D);
        if (!isObject(raw)) return state;
        const pick = (key, allowed) => {
            const v = text(raw[key]);
            if (v !== null && allowed(v)) state[key] = v;
        };
        pick('lang', (v) => has(D.languages, v));
        pick('mode', (v) => has(D.modes, v));
        pick('tab', (v) => has(D.tabs, v));
        pick('region', (v) => has(D.regions, v));
        pick('ind', (v) => has(D.indicators, v));
        pick('sector', (v) => has(D.sectors, v));
        pick('unit', (v) => Object.prototype.hasOwnProperty.call(D.units, v));
        const level = raw.level;  // str(level)[:4] of Python must name a level
        const isLevel = (typeof level === 'number' && Number.isInteger(level)) ||
            typeof level === 'string';
        if (isLevel && has(D.levels.map(String), String(level).slice(0, 4))) {
            state.level = Number(String(level));
        }
        let cats = raw.cats;
        if (typeof cats === 'string') cats = cats.split(',');
        if (!Array.isArray(cats)) cats = [];
        cats = cats.slice(0, 100).filter((c) => text(c) !== null && has(D.categories, c));
        if (cats.length) state.cats = sortedUnique(cats);
        const weights = {};
        let total = 0, valid = true;
        for (const key of D.weight_keys) {
            const w = cleanWeight(key in raw ? raw[key] : state[key]);
            if (w === null) valid = false; else total += w;
            weights[key] = w;
        }
        if (valid && total > 0) Object.assign(state, weights);
        const preset = text(raw.preset), start = text(raw.start), end = text(raw.end);
        if (preset !== null && has(D.presets, preset) && preset !== 'custom') {
            state.preset = preset;
            [state.start, state.end] = presetRange(preset, D.last_month);
        } else if (start !== null && end !== null && has(D.months, start) && has(D.months, end)) {
            const range = [start, end].sort();
            Object.assign(state, {preset: 'custom', start: range[0], end: range[1]});
        }
        return state;
    }

    // urllib.parse.quote_plus(value, safe=",")
    const quotePlus = (s) => encodeURIComponent(s)
        .replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
        .replace(/%2C/g, ',').replace(/%20/g, '+');

    // urllib.parse.unquote_plus: bad escapes stay as they are, bad UTF-8 becomes U+FFFD
    function unquotePlus(s) {
        const bytes = [];
        const encoder = new TextEncoder();
        const t = s.replace(/\+/g, ' ');
        for (let i = 0; i < t.length; i++) {
            if (t[i] === '%' && /^[0-9a-fA-F]{2}$/.test(t.slice(i + 1, i + 3))) {
                bytes.push(parseInt(t.slice(i + 1, i + 3), 16));
                i += 2;
            } else {
                const cp = t.codePointAt(i);
                if (cp > 0xffff) i++;
                bytes.push(...encoder.encode(String.fromCodePoint(cp)));
            }
        }
        return new TextDecoder('utf-8').decode(new Uint8Array(bytes));
    }

    function customWeights(state, D) {
        return D.weight_keys.some((k) => Number(k in state ? state[k] : D.default_weights[k]) !==
                                         D.default_weights[k]);
    }

    function toQuery(state, D) {
        const dflt = defaultState(D);
        const params = [];
        for (const key of D.query_keys) {
            const value = state[key];
            const customRange = (key === 'start' || key === 'end') && state.preset === 'custom';
            if ((key === 'start' || key === 'end') && !customRange) continue;
            if (same(value, dflt[key]) && !customRange) continue;
            if (key === 'cats' && same([...value].sort(), [...dflt.cats].sort())) continue;
            if (has(D.weight_keys, key) && !customWeights(state, D)) continue;
            params.push(quotePlus(key) + '=' + quotePlus(Array.isArray(value) ? value.join(',') : String(value)));
        }
        return params.length ? '?' + params.join('&') : '';
    }

    function fromQuery(search, D) {
        const qs = (typeof search === 'string' ? search.slice(0, 4096) : '').replace(/^\?+/, '');
        const raw = {};
        if (qs && qs.split('&').length <= 64) {
            for (const field of qs.split('&')) {
                const at = field.indexOf('=');
                if (at === -1 || at === field.length - 1) continue;
                raw[unquotePlus(field.slice(0, at))] = unquotePlus(field.slice(at + 1));
            }
        }
        return cleanState(raw, D);
    }

    function applyControls(state, values, changed, D) {
        const next = Object.assign({}, state);
        D.control_keys.forEach((key, i) => { next[key] = values[i]; });
        next.cats = truthy(next.cats) ? next.cats : [];
        next.sector = truthy(next.sector) ? next.sector : '';
        next.region = truthy(next.region) ? next.region : '';
        if (changed === 'preset' && has(D.presets, next.preset) && next.preset !== 'custom') {
            [next.start, next.end] = presetRange(next.preset, D.last_month);
        } else if (changed === 'start' || changed === 'end') {
            next.preset = 'custom';
        }
        if (changed === 'region') {
            next.unit = '';
            if (truthy(next.region) && next.level !== 3) next.level = 2;
        }
        if (changed === 'level') next.unit = '';
        return cleanState(next, D);
    }

    function selectUnit(state, unit, levelOfUnit, D) {
        const next = Object.assign({}, state);
        if (levelOfUnit === 1) {
            Object.assign(next, {region: unit, level: state.level === 3 ? 3 : 2, unit: ''});
        } else {
            next.unit = unit;
        }
        return cleanState(next, D);
    }

    function clickedLocation(click) {
        try {
            const location = click.points[0].location;
            return typeof location === 'string' && [...location].length <= 64 ? location : null;
        } catch (e) {
            return null;
        }
    }

    const KEEP = {};

    // views.route: (query or KEEP, state, control values) after `trigger` changed
    function route(trigger, search, controls, raw, clicked, D) {
        search = typeof search === 'string' ? search : '';
        const state = isObject(raw) ? cleanState(raw, D) : null;
        const controlsOf = (s) => D.control_keys.map((k) => s[k]);
        if (trigger === D.ids.url || state === null) {
            const fresh = fromQuery(search, D);
            return [KEEP, fresh, controlsOf(fresh)];
        }
        let next;
        if (trigger === D.ids.map || trigger === D.ids.gap_map) {
            if (!clicked) return [KEEP, state, controlsOf(state)];
            const level = Object.prototype.hasOwnProperty.call(D.units, clicked) ? D.units[clicked] : 2;
            next = selectUnit(state, clicked, level, D);
        } else if (trigger === D.ids.country) {
            next = Object.assign({}, state, {region: '', unit: '', level: 1});
        } else if (trigger === D.ids.briefing) {
            next = Object.assign({}, state, {mode: state.mode === 'briefing' ? '' : 'briefing'});
        } else {
            next = applyControls(state, controls, D.control_of_id[trigger] || null, D);
        }
        next = fromQuery(toQuery(next, D), D);  // one canonical form
        const query = toQuery(next, D);
        return [query !== search ? query : KEEP, next, controlsOf(next)];
    }

    function slices(state) {
        const get = (k) => (state[k] === undefined ? null : state[k]);
        const pick = (keys) => Object.fromEntries(keys.map((k) => [k, get(k)]));
        const gated = (on, keys) => (on ? Object.assign({on: true}, pick(keys)) : {on: false});
        const briefing = state.mode === 'briefing';
        const filter = ['start', 'end', 'cats'];
        const weightsAndSector = ['sector', 'wi', 'wd', 'wa'];
        const map = Object.assign({}, state);
        delete map.tab;
        return {
            ui: pick(['lang', 'mode', 'tab']),
            map: map,
            figures: pick(['lang', ...filter, 'region', 'unit', 'sector']),
            trend: gated(!briefing, ['lang', ...filter, 'region', 'unit']),
            displacement: gated(!briefing, ['lang', 'region', 'unit']),
            panel: truthy(state.unit) ? pick(['lang', 'unit', ...filter, ...weightsAndSector])
                : {lang: get('lang'), unit: ''},
            gap: gated(state.tab === 'gap' && !briefing,
                       ['lang', 'mode', 'region', ...filter, ...weightsAndSector]),
            quality: gated(state.tab === 'quality', ['lang']),
            briefing: gated(briefing, ['lang', 'region', ...filter, ...weightsAndSector]),
        };
    }

    // The trigger the server router read from ctx: the first changed prop's (string) id, the
    // address when it fired with others (a page load), null on the initial call.
    function triggerOf(triggered, D) {
        const ids = (triggered || []).map((t) => {
            const prop = t.prop_id || '';
            const id = prop.slice(0, prop.lastIndexOf('.'));
            return id && id[0] !== '{' ? id : null;
        });
        if (!ids.length || ids[0] === null) return D.ids.url;
        if (ids.length > 1 && ids.some((id) => id === D.ids.url)) return D.ids.url;
        return ids[0];
    }

    // The router callback: the outputs the server router returned, in its order.
    function outputs(trigger, args, D) {
        const n = D.control_keys.length;
        const search = args[0], controls = args.slice(1, 1 + n);
        const [mapClick, gapClick, , , raw] = args.slice(1 + n);
        const click = clickedLocation(trigger === D.ids.map ? mapClick : gapClick);
        const [query, next, controlValues] = route(trigger, search, controls, raw, click, D);
        const NO = null;  // no_update, replaced by the caller
        const names = D.slice_names;
        if (same(next, raw) && query === KEEP) return null;  // nothing changes
        const before = slices(isObject(raw) ? raw : {}), after = slices(next);
        const parts = names.map((name) => (raw != null && same(before[name], after[name]) ? NO : after[name]));
        const values = controlValues.map((v, i) => (
            (D.control_keys[i] === 'region' || D.control_keys[i] === 'sector') ? (truthy(v) ? v : null) : v));
        return {query: query === KEEP ? NO : query, state: next, parts: parts, controls: values};
    }

    // The outputs for Dash: a control keeps its value when it already shows it (fewer props to
    // set and re-render before the views' requests leave).
    function flatten(out, controls, D) {
        const none = window.dash_clientside.no_update;
        const keep = (v) => (v === null ? none : v);
        if (out === null) return Array(2 + D.slice_names.length + D.control_keys.length).fill(none);
        const values = out.controls.map((v, i) => (same(v, controls[i]) ? none : v));
        return [keep(out.query), out.state, ...out.parts.map(keep), ...values];
    }

    window.dash_clientside = Object.assign({}, window.dash_clientside, {
        router: {
            route: function (...args) {
                const D = args[args.length - 1];
                const ctx = window.dash_clientside.callback_context || {};
                const controls = args.slice(1, 1 + D.control_keys.length);
                return flatten(outputs(triggerOf(ctx.triggered, D), args.slice(0, -1), D), controls, D);
            },
            // for the browser test that compares this router with callbacks/router.py
            outputs: (triggered, args, D) => outputs(triggerOf(triggered, D), args, D),
        },
    });
}());
