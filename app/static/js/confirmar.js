/* Forms with data-confirmar ask before an irreversible action. Without JavaScript they submit directly
   (the server still applies every rule). */
(function () {
  document.addEventListener("submit", function (evento) {
    var formulario = evento.target;
    var pregunta = formulario.getAttribute && formulario.getAttribute("data-confirmar");
    if (pregunta && !window.confirm(pregunta)) {
      evento.preventDefault();
    }
  }, true);
})();
