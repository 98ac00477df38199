/* Crear cuenta: progressive enhancement of the wizard. Every step also works without JavaScript;
   the server validates and composes everything again. */
(function ($) {
  "use strict";

  // Step 1: "Otro tipo de identificación" only when "Otro" is chosen.
  var $tipo = $("#tipo_identificacion");
  if ($tipo.length) {
    var otroId = String($tipo.data("otro-id") || "");
    var alternarOtro = function () {
      var esOtro = $tipo.val() === otroId;
      $("#bloque-otro-tipo").prop("hidden", !esOtro);
      $("#otro_tipo_identificacion").prop("disabled", !esOtro);
    };
    $tipo.on("change", alternarOtro);
    alternarOtro();
  }

  // A corrected field loses its old message (the server checks it again on submit).
  $("form[id^=form-registro]").on("input change", "input, select", function () {
    $(this).closest(".form-group").removeClass("has-error").find(".mensaje-error").remove();
    $(this).removeAttr("aria-invalid");
  });

  // Step 3: a new CAPTCHA image without reloading the page. (Step 2's location fields: ubicacion.js.)
  $("#recargar-captcha").on("click", function (evento) {
    evento.preventDefault();
    $("#imagen-captcha").attr("src", $(this).data("src") + "?v=" + Date.now());
    $("#captcha").val("").trigger("focus");
  });
})(jQuery);
