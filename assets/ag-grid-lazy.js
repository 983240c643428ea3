/* AG Grid only when a table is shown: the dash-ag-grid bundle (about 600 KB gzipped with its
   chunk) is not linked by the page (layouts/grids.py marks it dynamic); this file stands in
   for its namespace. Each grid renders an empty box until the box is laid out with a width
   (its view or card is shown), then the bundle is loaded once, from the address in the page's
   <meta name="dash-ag-grid-src">, and every grid renders the real component with its props.
   The namespace stays this object, so Dash always renders the same component type and a grid
   is never remounted when the bundle arrives. */
(function () {
    'use strict';
    if (window.dash_ag_grid || !window.React) {
        return;
    }
    const React = window.React;
    const lazy = {};
    let real = null;
    let loading = null;

    function load() {
        if (!loading) {
            loading = new Promise(function (resolve, reject) {
                const meta = document.querySelector('meta[name="dash-ag-grid-src"]');
                const script = document.createElement('script');
                script.src = meta ? meta.content : '';
                script.async = true;
                script.onload = function () {
                    const namespace = window.dash_ag_grid;
                    real = namespace.AgGrid;
                    window.dash_ag_grid = Object.assign(lazy, namespace, {AgGrid: AgGrid});
                    resolve(real);
                };
                script.onerror = function () {
                    loading = null;
                    reject(new Error('dash-ag-grid did not load'));
                };
                document.head.appendChild(script);
            });
        }
        return loading;
    }

    function AgGrid(props) {
        const [component, setComponent] = React.useState(function () { return real; });
        const box = React.useRef(null);
        React.useEffect(function () {
            if (component) {
                return undefined;
            }
            let done = false;
            const start = function () {
                if (done) return;
                done = true;
                load().then(function (loaded) { setComponent(function () { return loaded; }); },
                            function () { done = false; });
            };
            const shown = function () { return box.current && box.current.offsetWidth > 0; };
            if (shown() || !window.ResizeObserver) {
                start();
                return undefined;
            }
            const watch = new ResizeObserver(function () { if (shown()) { watch.disconnect(); start(); } });
            watch.observe(box.current);
            return function () { watch.disconnect(); };
        }, [component]);
        if (component) {
            return React.createElement(component, props);
        }
        return React.createElement('div', {
            id: props.id, ref: box, className: props.className, style: props.style,
        });
    }

    lazy.AgGrid = AgGrid;
    window.dash_ag_grid = lazy;
}());
