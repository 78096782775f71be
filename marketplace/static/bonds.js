// The fidelity bond payment page: Stripe.js (or localstripe's stand-in) collects the card in the
// browser and turns it into a token; the form then sends only the card's id to our server,
// which creates and confirms the PaymentIntent. Without JavaScript (or if Stripe.js did not
// load) the form stays hidden and the page offers payment by invoice.
(function () {
  'use strict';
  var form = document.getElementById('card-form');
  if (!form || typeof window.Stripe === 'undefined') { return; }
  var stripe = window.Stripe(form.getAttribute('data-publishable-key'));
  var card = stripe.elements().create('card');
  card.mount('#card-element');
  form.hidden = false;
  document.getElementById('card-needs-javascript').hidden = true;
  var error = document.getElementById('card-error');
  var button = document.getElementById('card-submit');
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    button.disabled = true;
    error.hidden = true;
    stripe.createToken(card).then(function (result) {
      if (result.error || !result.token) {
        var message = (result.error && result.error.message) || 'Check your card details.';
        error.textContent = 'Error: ' + message;
        error.hidden = false;
        button.disabled = false;
        return;
      }
      form.querySelector('input[name="payment_method"]').value = result.token.card.id;
      form.submit();
    });
  });
}());

// The bank's check (3-D Secure): Stripe.js confirms the PaymentIntent in the browser, then the
// page asks our server how the payment stands (a success still waits for Stripe's webhook).
(function () {
  'use strict';
  var box = document.getElementById('bank-check');
  if (!box || typeof window.Stripe === 'undefined') { return; }
  var stripe = window.Stripe(box.getAttribute('data-publishable-key'));
  var button = document.getElementById('bank-check-button');
  box.hidden = false;
  document.getElementById('bank-check-needs-javascript').hidden = true;
  button.addEventListener('click', function () {
    button.disabled = true;
    stripe.confirmCardPayment(box.getAttribute('data-client-secret')).then(function () {
      document.getElementById('bank-check-done').submit();
    });
  });
}());
