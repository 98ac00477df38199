/* "Datos de ubicación" (signup step 2 and Mi perfil; the address dialog also in the company's registration and
   «Datos de la empresa»): progressive enhancement of the form marked data-ubicacion. Without JavaScript the page still works (the "Ingrese la dirección" dialog is a plain
   section and "Cambiar país" / "Cargar municipios" reload it); the server validates and composes everything
   again in app/services/ubicacion.py. */
(function ($) {
  "use strict";

  var $form = $("form[data-ubicacion]");
  if (!$form.length) return;

  var colombiaId = String($form.data("colombia-id"));
  var $dialogo = $("#dialogo-direccion");
  // The country field: the signup's pais_residencia, or the one named in data-pais (the company's).
  var $pais = $("#" + ($form.data("pais") || "pais_residencia"));
  var celularOpcional = $form.is("[data-celular-opcional]");

  function enColombia() {
    var pais = $pais.val();
    return !pais || pais === colombiaId;
  }

  function rural() {
    return !enColombia() || $("#dir_rural-si").prop("checked");
  }

  function sufijo(valor) {
    var partes = $.trim(valor).split(/\s+/).filter(Boolean);
    return partes
      .map(function (parte, i) {
        if (parte.length <= 2) return (i === 0 ? "" : " ") + parte.toUpperCase();
        return " " + parte.charAt(0).toUpperCase() + parte.slice(1).toLowerCase();
      })
      .join("");
  }

  // Same composition as app/services/ubicacion.componer_direccion (the server has the last word).
  function componer() {
    var v = function (id) { return $.trim($("#" + id).val() || "").replace(/\s+/g, " "); };
    if (rural()) return v("dir_texto");
    var texto = $.trim(v("dir_principal") + " " + v("dir_numero_principal") + (v("dir_sufijo") ? sufijo(v("dir_sufijo")) : ""));
    if (v("dir_numero_secundario")) {
      texto += " # " + v("dir_numero_secundario") + (v("dir_sufijo_secundario") ? sufijo(v("dir_sufijo_secundario")) : "");
    }
    if (v("dir_numero_final")) texto += " - " + v("dir_numero_final");
    if (v("dir_complemento")) texto += " " + v("dir_complemento");
    return texto;
  }

  function alternarPais() {
    var co = enColombia();
    $("#bloque-colombia").prop("hidden", !co);
    $("#bloque-exterior").prop("hidden", co);
    $(".pregunta-colombia, .opcion-urbana, .grupo-dir-urbana").prop("hidden", !co);
    $(".pregunta-exterior").prop("hidden", co);
    $(".requerido-colombia").prop("hidden", !co);
    if (!celularOpcional) $("#celular").attr("aria-required", co ? "true" : null);
    if (!co) $("#dir_rural-si").prop("checked", true);
    alternarRural();
  }

  function alternarRural() {
    $dialogo.attr("data-rural", rural() ? "si" : "no");
    $("#dir-vista").text(componer());
  }

  $pais.on("change", function () {
    alternarPais();
    $("#direccion").val(componer());  // the accepted address no longer fits the new country
  });
  $("input[name=dir_rural]").on("change", alternarRural);
  $dialogo.on("input change", "input, select", function () { $("#dir-vista").text(componer()); });
  // Enter in a text field of the dialog means its "Aceptar", not the submit of the whole page.
  $dialogo.on("keydown", "input[type=text], input:not([type])", function (evento) {
    if (evento.key === "Enter") {
      evento.preventDefault();
      $("#aceptar-direccion").trigger("click");
    }
  });

  // Dependent list: municipios of the chosen departamento (one endpoint, RegistroView.municipios).
  $("#departamento").on("change", function () {
    var $municipio = $("#municipio");
    var departamento = $(this).val();
    $municipio.find("option:not(:first)").remove();
    if (!departamento) return;
    $.getJSON($form.data("municipios-url"), { departamento: departamento }).done(function (datos) {
      $.each(datos.municipios, function (_, m) {
        $municipio.append($("<option>").val(m.id).text(m.nombre));
      });
    });
  });
  // A departamento chosen before this script ran (a fast hand or test, or the browser restoring the form on «Atrás»)
  // fired its change event with nobody listening: load its municipios now.
  if ($("#departamento").val() && $("#municipio option").length <= 1) {
    $("#departamento").trigger("change");
  }

  // The address field opens the dialog, as in the manual; "Aceptar" copies the composed text.
  $("#direccion").on("click keydown", function (evento) {
    if (evento.type === "click" || evento.key === "Enter" || evento.key === " ") {
      evento.preventDefault();
      $dialogo.modal("show");
    }
  });
  $("#aceptar-direccion").on("click", function (evento) {
    evento.preventDefault();
    $("#direccion").val(componer());
    $dialogo.modal("hide");
    $("#direccion").trigger("focus");
  });
  // Focus goes to the first field with an error (the dialog reopened by the server), else to the chosen
  // «¿Su dirección es rural?» answer, which is the radio group's stop for Tab.
  $dialogo.on("shown.bs.modal", function () {
    var $campo = $dialogo.find("[aria-invalid=true]:visible").first();
    if (!$campo.length) $campo = $dialogo.find("input[name=dir_rural]:checked:visible");
    if (!$campo.length) $campo = $dialogo.find("input:visible, select:visible").first();
    $campo.trigger("focus");
  });

  alternarPais();
  if ($dialogo.data("abrir")) $dialogo.modal("show");
})(jQuery);
