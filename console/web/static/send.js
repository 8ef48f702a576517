// The region console's deposits and withdrawals: the console built the transactions unsigned
// (send-data: the chain, the signed-in wallet, each call's contract and calldata); the
// browser's wallet (EIP-1193, window.ethereum) sends them one after another, each mined
// before the next. The page handles no key: the wallet signs.
(function () {
  "use strict";
  var src = document.getElementById("send-data");
  var status = document.getElementById("send-status");
  var error = document.getElementById("send-error");
  if (!src || !status || !error) return;
  var plan = JSON.parse(src.textContent);

  // A receipt is polled for at most receiptTries × receiptEvery (3 minutes).
  var receiptEvery = 1000, receiptTries = 180;

  function say(text) { status.textContent = text; }
  function fail(text) {
    say("");
    error.textContent = text;
    error.hidden = false;
  }
  // A wallet's refusal (EIP-1193 code 4001) is the user's choice, not a fault.
  function reason(e) {
    if (e && e.code === 4001) return "The wallet declined the transaction.";
    return (e && e.message) || String(e);
  }

  var wallet = window.ethereum;
  if (!wallet || typeof wallet.request !== "function") {
    fail("No browser wallet found: sending needs a wallet extension (EIP-1193, such as MetaMask or Frame) in this browser. Nothing was sent.");
    return;
  }

  function receipt(hash, action) {
    var tries = 0;
    return new Promise(function (resolve, reject) {
      function poll() {
        tries++;
        wallet.request({ method: "eth_getTransactionReceipt", params: [hash] }).then(function (r) {
          if (r) {
            if (r.status === "0x1") resolve(r);
            else reject(new Error("The transaction to " + action + " (" + hash + ") reverted: the chain refused it."));
            return;
          }
          if (tries >= receiptTries) {
            reject(new Error("The transaction to " + action + " (" + hash + ") was not mined within 3 minutes: check it in your wallet before trying again."));
            return;
          }
          setTimeout(poll, receiptEvery);
        }, reject);
      }
      poll();
    });
  }

  function send(i, done) {
    if (i >= plan.txs.length) return Promise.resolve(done);
    var tx = plan.txs[i];
    var which = "transaction " + (i + 1) + " of " + plan.txs.length + " (" + tx.action + ")";
    say("Confirm " + which + " in your wallet…");
    return wallet.request({ method: "eth_sendTransaction", params: [{ from: plan.from, to: tx.to, data: tx.data }] }).then(function (hash) {
      say("Waiting for " + which + " to be mined: " + hash + "…");
      return receipt(hash, tx.action);
    }).then(function () {
      return send(i + 1, done + 1);
    }, function (e) {
      var sent = done + " of " + plan.txs.length + " transaction(s) went through.";
      throw new Error(which + ": " + reason(e).replace(/\.?$/, ".") + " " + sent);
    });
  }

  say("Checking your wallet's chain…");
  wallet.request({ method: "eth_chainId" }).then(function (id) {
    var on = parseInt(id, 16);
    if (on !== plan.chain_id) {
      throw new Error("Your wallet is on chain " + on + ", but this region's escrow is on chain " + plan.chain_id +
        ": switch your wallet to chain " + plan.chain_id + " and submit the form again. Nothing was sent.");
    }
    return wallet.request({ method: "eth_requestAccounts" });
  }).then(function (accounts) {
    var mine = (accounts || []).some(function (a) { return String(a).toLowerCase() === plan.from.toLowerCase(); });
    if (!mine) {
      throw new Error("Your wallet does not offer the signed-in account " + plan.from +
        ": switch to it in your wallet and submit the form again. Nothing was sent.");
    }
    return send(0, 0);
  }).then(function () {
    say(plan.done);
    window.location.assign("/wallet?flash=" + encodeURIComponent(plan.done));
  }).catch(function (e) { fail(reason(e)); });
})();
