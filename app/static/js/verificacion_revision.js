/* The checklist verification screen without reloading: each row's form is posted with fetch (its CSRF token goes
   in the form data) and the row shows the saved result; «Ver documento» shows the PDF in the frame beside the list.
   Without JavaScript every form posts and comes back to the same row, and every link opens its page. */
(function () {
  "use strict";

  function texto(elemento, valor) {
    elemento.textContent = valor;
  }

  function mostrarGuardado(formulario, datos) {
    var fila = formulario.closest(".linea-verificacion");
    var estado = fila.querySelector(".estado-linea");
    estado.innerHTML = "";
    var p = document.createElement("p");
    p.className = "resultado resultado-" + datos.resultado.toLowerCase().replace(/ /g, "-");
    var fuerte = document.createElement("strong");
    texto(fuerte, datos.resultado);
    var quien = document.createElement("span");
    quien.className = "small text-muted";
    texto(quien, " — " + datos.por + ", " + datos.en);
    p.appendChild(fuerte);
    p.appendChild(quien);
    estado.appendChild(p);
    fila.classList.remove("con-error");
    var error = fila.querySelector(".mensaje-error");
    if (error) { error.remove(); }
  }

  function mostrarError(formulario, mensaje) {
    var fila = formulario.closest(".linea-verificacion");
    var grupo = formulario.querySelector(".form-group");
    var error = fila.querySelector(".mensaje-error");
    if (!error) {
      error = document.createElement("div");
      error.className = "help-block mensaje-error";
      error.setAttribute("role", "alert");
      grupo.appendChild(error);
    }
    texto(error, mensaje);
    fila.classList.add("con-error");
  }

  document.addEventListener("submit", function (evento) {
    var formulario = evento.target;
    if (!formulario.classList || !formulario.classList.contains("form-verificacion") || !window.fetch) { return; }
    evento.preventDefault();
    var aviso = formulario.querySelector(".aviso-guardado");
    var boton = formulario.querySelector("button[type=submit]");
    boton.disabled = true;
    texto(aviso, "Guardando…");
    fetch(formulario.action, {
      method: "POST",
      body: new FormData(formulario),
      headers: { "Accept": "application/json" },
      credentials: "same-origin"
    }).then(function (respuesta) {
      var tipo = respuesta.headers.get("Content-Type") || "";
      if (tipo.indexOf("application/json") === -1) {
        formulario.submit();  // a login page, an error page: let the browser show it
        return null;
      }
      return respuesta.json().then(function (datos) {
        if (respuesta.ok) {
          mostrarGuardado(formulario, datos);
          texto(aviso, datos.mensaje);
        } else {
          mostrarError(formulario, datos.mensaje);
          texto(aviso, "");
        }
      });
    }).catch(function () {
      formulario.submit();
    }).finally(function () {
      boton.disabled = false;
    });
  });

  document.addEventListener("click", function (evento) {
    var enlace = evento.target.closest && evento.target.closest("a.ver-en-visor");
    var marco = document.querySelector(".visor-pdf");
    if (!enlace || !marco || evento.ctrlKey || evento.metaKey || evento.shiftKey) { return; }
    evento.preventDefault();
    marco.src = enlace.getAttribute("data-pdf");
    marco.title = "Documento: " + enlace.getAttribute("data-titulo");
    var nombre = document.querySelector(".visor-nombre");
    if (nombre) { texto(nombre, enlace.getAttribute("data-titulo")); }
    var abrir = document.querySelector(".visor-abrir");
    if (abrir) { abrir.href = enlace.getAttribute("data-pdf"); }
    var archivo = document.querySelector(".visor-archivo");
    if (archivo) { texto(archivo, ""); }
    document.querySelectorAll(".linea-verificacion.elegida").forEach(function (fila) { fila.classList.remove("elegida"); });
    enlace.closest(".linea-verificacion").classList.add("elegida");
    var volver = document.querySelector(".visor-volver");
    if (volver) { volver.href = "#requisito-" + enlace.getAttribute("data-clave"); }
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, "", enlace.href.split("#")[0] + "#requisito-" + enlace.getAttribute("data-clave"));
    }
    if (!window.matchMedia("(min-width: 992px)").matches) {
      document.getElementById("visor").scrollIntoView();  // stacked: the document is below the list
    }
  });
})();
