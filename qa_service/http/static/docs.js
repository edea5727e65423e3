/* Starts Swagger UI on /docs (qa_service/http/docs.py): a file, so the page needs no inline script. */
"use strict";

window.addEventListener("DOMContentLoaded", () => {
  const root = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({
    url: root.dataset.openapiUrl || "/openapi.json",
    domNode: root,
    deepLinking: true,
    validatorUrl: null, // the badge would call an outside validator
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
