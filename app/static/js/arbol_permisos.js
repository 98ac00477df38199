/* Permission tree: checking a branch checks/unchecks its leaves; a branch with some leaves shows the
   indeterminate state. The form also works without this script (the server expands branches). */
(function () {
  "use strict";
  function hojasDe(arbol, rama) {
    return arbol.querySelectorAll('input[data-hoja-de="' + rama + '"]');
  }
  function actualizarRama(arbol, rama) {
    var caja = arbol.querySelector('input[data-rama="' + rama + '"]');
    var hojas = hojasDe(arbol, rama);
    var marcadas = 0;
    hojas.forEach(function (h) { if (h.checked) { marcadas += 1; } });
    caja.checked = marcadas === hojas.length;
    caja.indeterminate = marcadas > 0 && marcadas < hojas.length;
    caja.setAttribute("aria-checked", caja.indeterminate ? "mixed" : String(caja.checked));
  }
  document.querySelectorAll("[data-arbol]").forEach(function (arbol) {
    // With the script the leaves always mirror the branches, so they alone say what is chosen.
    arbol.querySelectorAll('input[name="rama_previa"]').forEach(function (h) { h.remove(); });
    arbol.querySelectorAll("input[data-rama]").forEach(function (caja) {
      var rama = caja.getAttribute("data-rama");
      actualizarRama(arbol, rama);
      caja.addEventListener("change", function () {
        hojasDe(arbol, rama).forEach(function (h) { h.checked = caja.checked; });
        actualizarRama(arbol, rama);
      });
    });
    arbol.addEventListener("change", function (evento) {
      var rama = evento.target.getAttribute("data-hoja-de");
      if (rama) { actualizarRama(arbol, rama); }
    });
  });
})();
