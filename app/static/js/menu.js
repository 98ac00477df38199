/* Bootstrap 3 writes aria-expanded on the menu it unfolds on a phone, a <div> where ARIA does not allow it (axe-core:
   aria-allowed-attr). The «Menú» button that unfolds it keeps its own aria-expanded: that is the state screen
   readers announce. */
(function ($) {
  $(document).on("shown.bs.collapse hidden.bs.collapse", ".navbar-collapse", function () {
    this.removeAttribute("aria-expanded");
  });
})(window.jQuery);
