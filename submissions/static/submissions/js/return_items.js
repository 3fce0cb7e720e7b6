// "Thêm ý kiến" on the review page: without JavaScript the link reloads the page with more empty rows; with
// it, one more empty row is added in place, so what the reviewer already typed stays.
document.addEventListener("DOMContentLoaded", () => {
  for (const link of document.querySelectorAll("[data-add-return-item]")) {
    link.addEventListener("click", (event) => {
      const rows = link.closest("fieldset").querySelectorAll(".return-item");
      const last = rows[rows.length - 1];
      if (!last) {
        return;
      }
      event.preventDefault();
      const row = last.cloneNode(true);
      for (const field of row.querySelectorAll("select, textarea")) {
        field.value = "";
      }
      last.after(row);
      row.querySelector("select").focus();
    });
  }
});
