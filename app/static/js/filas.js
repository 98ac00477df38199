/* Repeatable rows of a section (fabricantes, presentaciones, …): the form carries every row the server accepts,
   the ones beyond the first few hidden; «Agregar fila» shows the next and puts the cursor in it. Without
   JavaScript the button stays hidden and saving the section offers two more empty rows. */
(function () {
  document.querySelectorAll("button.agregar-fila").forEach(function (boton) {
    var conjunto = document.getElementById(boton.getAttribute("data-filas"));
    if (!conjunto) { return; }
    boton.hidden = false;
    boton.addEventListener("click", function () {
      var siguiente = conjunto.querySelector("tr.fila-oculta");
      if (!siguiente) { return; }
      siguiente.hidden = false;
      siguiente.classList.remove("fila-oculta");
      var campo = siguiente.querySelector("input, select, textarea");
      if (campo) { campo.focus(); }
      if (!conjunto.querySelector("tr.fila-oculta")) { boton.hidden = true; }
    });
  });
})();
