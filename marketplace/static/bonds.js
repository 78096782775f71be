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
