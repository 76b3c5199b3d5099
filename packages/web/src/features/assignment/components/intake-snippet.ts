/** The words of the example form, in the page's language. */
export interface SnippetText {
  company: string;
  contactName: string;
  phone: string;
  email: string;
  message: string;
  submit: string;
  honeypotComment: string;
  blankComment: string;
  thanks: string;
  tooMany: string;
  failed: string;
}

/**
 * A website's form posting to the public intake endpoint with fetch. Blank fields are
 * left out because the endpoint wants a phone number or an email address and reads an
 * empty one as given; `website` is the honeypot, hidden from people and left empty.
 */
export function intakeSnippet(endpoint: string, formKey: string, text: SnippetText): string {
  const js = (value: string) => JSON.stringify(value).replaceAll('<', '\\u003c');
  const attr = (value: string) => value.replaceAll('&', '&amp;').replaceAll('"', '&quot;');
  return `<form id="tide-lead-form">
  <input name="company" placeholder="${attr(text.company)}">
  <input name="contactName" placeholder="${attr(text.contactName)}">
  <input name="phone" type="tel" placeholder="${attr(text.phone)}">
  <input name="email" type="email" placeholder="${attr(text.email)}">
  <textarea name="message" placeholder="${attr(text.message)}"></textarea>
  <!-- ${text.honeypotComment} -->
  <input name="website" tabindex="-1" autocomplete="off" aria-hidden="true"
         style="position:absolute;left:-10000px">
  <button type="submit">${text.submit}</button>
</form>
<script>
  document.getElementById("tide-lead-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const endpoint = ${js(endpoint)};
    const formKey = ${js(formKey)};
    const form = event.currentTarget;
    // ${text.blankComment}
    const fields = [...new FormData(form)].filter(([, value]) => value !== "");
    const res = await fetch(endpoint, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ formKey, ...Object.fromEntries(fields) }),
    });
    if (res.status === 202) {
      form.reset();
      alert(${js(text.thanks)});
    } else if (res.status === 429) {
      alert(${js(text.tooMany)});
    } else {
      alert(${js(text.failed)});
    }
  });
</script>
`;
}
