/* «Nuevo código» next to a CAPTCHA image: loads a new challenge (the server forgets the old one) and clears the
   answer. Without JavaScript the button does nothing and the page's own image is still a valid challenge. */
(function () {
  var boton = document.getElementById("captcha-recargar");
  if (!boton) { return; }
  boton.addEventListener("click", function () {
    document.getElementById("captcha-imagen").src = boton.getAttribute("data-src") + "?v=" + Date.now();
    var campo = document.getElementById("captcha");
    campo.value = "";
    campo.focus();
  });
})();
