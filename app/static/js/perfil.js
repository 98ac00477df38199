/* Mi perfil: the invitations switch saves at once; the Profesiones table adds, edits and deletes in dialogs.
   Without JavaScript the switch has its «Guardar» button and each row links to its own page. */
(function ($) {
  $('#permitir').on('change', function () {
    $(this).closest('.interruptor').find('.estado-interruptor').text(this.checked ? 'Sí' : 'No');
    this.form.submit();
  });

  var $modal = $('#modal-profesion');
  var accionAgregar = $('#form-modal-profesion').attr('action');
  var tituloAgregar = $('#titulo-modal-profesion').text();
  $('.js-agregar-profesion').on('click', function (e) {
    e.preventDefault();
    $('#titulo-modal-profesion').text(tituloAgregar);
    $('#form-modal-profesion').attr('action', accionAgregar)[0].reset();
    $modal.modal('show');
  });
  $('.js-editar-profesion').on('click', function (e) {
    e.preventDefault();
    var $a = $(this);
    $('#titulo-modal-profesion').text('Editar profesión');
    $('#form-modal-profesion').attr('action', $a.data('accion'));
    $('#profesion_id').val(String($a.data('profesion')));
    $('#tarjeta_profesional').val(String($a.data('tarjeta')));
    $modal.modal('show');
  });
  $modal.on('shown.bs.modal', function () { $('#profesion_id').trigger('focus'); });
  $('.js-eliminar-profesion').on('click', function (e) {
    e.preventDefault();
    $('#form-modal-eliminar').attr('action', $(this).data('accion'));
    $('#descripcion-eliminar').text($(this).data('descripcion'));
    $('#modal-eliminar').modal('show');
  });
  if (window.location.hash === '#agregar-profesion') { $('.js-agregar-profesion').first().trigger('click'); }
})(jQuery);
