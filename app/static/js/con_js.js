/* Marks the page as running JavaScript before it is drawn (class "js" on <html>), so styles can hide the
   buttons that exist only for browsers without JavaScript («Cargar municipios», «Cambiar país»…). Loaded in
   <head> as a file: the Content-Security-Policy allows no inline script without a nonce. */
document.documentElement.classList.add("js");
