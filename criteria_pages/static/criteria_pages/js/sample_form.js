// The sample of an evaluation form (criteria_pages/evaluation_form_page.html) is for reading: pressing
// Enter in one of its fields must not send it. A file, not an inline handler, for the Content-Security-Policy.
"use strict";

for (const form of document.querySelectorAll("form[data-sample-form]")) {
  form.addEventListener("submit", (event) => event.preventDefault());
}
