// Loaded after require.js and before the ipywidgets HTML manager (nb_ipywidgets_js in
// _config.yml). embed-amd.js defines its modules by name and each finds its icon fonts beside
// the address require.js gives that name, by default a folder beside the page that does not
// exist. Mapping every name into html-manager/ (where the fonts are copied) keeps those requests
// on the site. This file sits next to html-manager/, so its own address tells where that is.
(function () {
  var folder = new URL("html-manager/", document.currentScript.src).href;
  var names = ["base", "base7", "controls", "controls7", "html-manager"];
  var paths = { "@jupyter-widgets/html-manager/dist/libembed-amd": folder + "libembed-amd" };
  names.forEach(function (name) {
    paths["@jupyter-widgets/" + name] = folder + name;
  });
  window.requirejs.config({ paths: paths });
})();
