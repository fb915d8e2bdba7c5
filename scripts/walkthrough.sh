#!/usr/bin/env bash
# The README's curl walk-through, runnable: the main journey against a running `npm start`
# (fresh data dir), printed as a console transcript ("$ command", then its answer trimmed by jq).
# scripts/start.test.mjs runs it, so the README's commands cannot drift from the API.
#   OPERATOR_TOTP_SECRET=<from the banner> [ADMIN_TOTP_SECRET=<from the banner>] scripts/walkthrough.sh [http://127.0.0.1:3000]
# Needs curl and jq; TOTP codes are computed with node (or use `oathtool --totp -b`).
set -euo pipefail

export API="${1:-http://127.0.0.1:3000}/api/v1"
export SIM="${1:-http://127.0.0.1:3000}/simulator/api"
export PASSWORD="${KHAACHO_DEMO_PASSWORD:-khaacho-demo-2026}"
: "${OPERATOR_TOTP_SECRET:?set OPERATOR_TOTP_SECRET to the OPERATOR TOTP secret npm start printed}"

# The RFC 6238 code of a base32 secret now (what an authenticator app or oathtool shows).
totp() {
  node -e '
    const { createHmac } = require("node:crypto");
    const bits = [...process.argv[1].replace(/=+$/, "")].map((c) => "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".indexOf(c).toString(2).padStart(5, "0")).join("");
    const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
    const counter = Buffer.alloc(8);
    counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30_000)));
    const h = createHmac("sha1", key).update(counter).digest();
    const o = h[19] & 15;
    console.log(String((h.readUInt32BE(o) & 0x7fffffff) % 1e6).padStart(6, "0"));
  ' "$1"
}
export -f totp

# Prints the command as typed, then runs it in this shell (so its assignments stay).
say() {
  printf '$ %s\n' "$1"
  eval "$1"
}
# Runs quietly: the plumbing a reader need not see (ids picked from earlier answers).
quiet() { eval "$1"; }
# A login that answered no token stops the walk-through with the answer's error.
signed_in() {
  [ -n "${!1}" ] && [ "${!1}" != null ] && return 0
  echo "the $1 login failed" >&2
  exit 1
}

say 'curl -s $API/orders'
echo
say 'RETAILER=$(curl -s -X POST $API/auth/login -H "Content-Type: application/json" \
    -d "{\"identifier\":\"retailer@demo.khaacho.np\",\"password\":\"$PASSWORD\"}" | jq -r .accessToken)'
say 'VENDOR=$(curl -s -X POST $API/auth/login -H "Content-Type: application/json" \
    -d "{\"identifier\":\"vendor@demo.khaacho.np\",\"password\":\"$PASSWORD\"}" | jq -r .accessToken)'
say 'OPERATOR=$(curl -s -X POST $API/auth/login -H "Content-Type: application/json" \
    -d "{\"identifier\":\"operator@demo.khaacho.np\",\"password\":\"$PASSWORD\",\"totpCode\":\"$(totp $OPERATOR_TOTP_SECRET)\"}" | jq -r .accessToken)'
signed_in RETAILER && signed_in VENDOR && signed_in OPERATOR
say 'curl -s $API/auth/me -H "Authorization: Bearer $RETAILER" | jq -c .'
say 'SHOP_ID=$(curl -s $API/auth/me -H "Authorization: Bearer $RETAILER" | jq -r .retailerId)'
say 'VENDOR_ID=$(curl -s $API/auth/me -H "Authorization: Bearer $VENDOR" | jq -r .vendorId)'

echo '# What the demo vendor sells (its first offer in stock, and that product'"'"'s SKU):'
say 'OFFER=$(curl -s "$API/vendors/$VENDOR_ID/offers" -H "Authorization: Bearer $VENDOR" | jq -c "[.items[] | select(.active and .stockOnHand >= 10)][0]")'
say 'jq -c "{productId, unit, unitPrice, stockOnHand}" <<<"$OFFER"'
say 'SKU=$(curl -s "$API/products/$(jq -r .productId <<<"$OFFER")" -H "Authorization: Bearer $RETAILER" | jq -r .sku); UNIT=$(jq -r .unit <<<"$OFFER")'

echo '# The retailer orders 2 of it (an Idempotency-Key makes a retry safe):'
say 'ORDER=$(curl -s -X POST $API/orders -H "Authorization: Bearer $RETAILER" -H "Content-Type: application/json" \
    -H "Idempotency-Key: walk-$(date +%s)" -d "{\"lines\":[{\"sku\":\"$SKU\",\"quantity\":2,\"unit\":\"$UNIT\"}]}" | jq -r .order.id)'
say 'curl -s $API/orders/$ORDER -H "Authorization: Bearer $RETAILER" | jq -c "{number, status, total, lines: [.lines[] | {sku, quantity}]}"'

echo '# The worker routes it within a moment: the vendor it chose, and how the candidates scored:'
quiet 'for _ in $(seq 50); do [ "$(curl -s $API/orders/$ORDER/routing-decisions -H "Authorization: Bearer $OPERATOR" | jq ".items | length")" -gt 0 ] && break; sleep 0.2; done'
say 'curl -s $API/orders/$ORDER/routing-decisions -H "Authorization: Bearer $OPERATOR" \
    | jq -c ".items[0] | {selectedVendorId, candidates: [.candidates[] | {vendorId, rank, score}]}"'
quiet 'CHOSEN=$(curl -s $API/orders/$ORDER/routing-decisions -H "Authorization: Bearer $OPERATOR" | jq -r ".items[0].selectedVendorId")'
# The demo shop's area may have several vendors; the walk-through follows the demo vendor's login.
if [ "$CHOSEN" != "$VENDOR_ID" ]; then
  say 'curl -s -X POST $API/orders/$ORDER/assign -H "Authorization: Bearer $OPERATOR" -H "Content-Type: application/json" \
    -d "{\"vendorId\":\"$VENDOR_ID\"}" | jq -c "{status, vendorId}"'
fi

echo '# The vendor accepts (the value is held on the shop'"'"'s credit), then dispatches:'
say 'curl -s -X POST $API/orders/$ORDER/accept -H "Authorization: Bearer $VENDOR" | jq -c "{status}"'
say 'curl -s $API/credit/balance -H "Authorization: Bearer $RETAILER" | jq -c "{limit: .creditLimit.amount, held: .held.amount, outstanding: .outstanding.amount, available: .available.amount}"'
say 'curl -s -X POST $API/orders/$ORDER/dispatch -H "Authorization: Bearer $VENDOR" | jq -c "{status}"'

echo '# Dispatch sent the shop a 4-digit delivery code on WhatsApp (here: the simulator'"'"'s phone):'
say 'SHOP_PHONE=$(curl -s $SIM/parties | jq -r --arg id "$SHOP_ID" ".shops[] | select(.id == \$id) | .phone")'
say 'NOTICE=$(curl -s "$SIM/messages?phone=$SHOP_PHONE&after=0" \
    | jq -r "[.entries[].payload | .text.body // .interactive.body.text // empty | select(test(\"delivery code\"))] | last")'
say 'echo "$NOTICE"; CODE=$(grep -oE "code (is )?[0-9]{4}" <<<"$NOTICE" | grep -oE "[0-9]{4}$")'

echo '# The driver hands over the goods and types the code the shop gives; a wrong one is refused:'
say 'curl -s -X POST $API/orders/$ORDER/deliver -H "Authorization: Bearer $VENDOR" -H "Content-Type: application/json" \
    -d "{\"code\":\"$( [ "$CODE" = 0000 ] && echo 0001 || echo 0000 )\"}" | jq -c ".error | {code, attemptsLeft: .details.attemptsLeft}"'
say 'curl -s -X POST $API/orders/$ORDER/deliver -H "Authorization: Bearer $VENDOR" -H "Content-Type: application/json" \
    -d "{\"code\":\"$CODE\"}" | jq -c "{status}"'
say 'curl -s $API/credit/balance -H "Authorization: Bearer $RETAILER" | jq -c "{held: .held.amount, outstanding: .outstanding.amount}"'

echo '# The shop pays the invoice (eSewa); staff record it, which completes the order:'
say 'AMOUNT=$(curl -s $API/orders/$ORDER -H "Authorization: Bearer $RETAILER" | jq -r .total.amount)'
say 'curl -s -X POST $API/credit/payments -H "Authorization: Bearer $OPERATOR" -H "Content-Type: application/json" \
    -H "Idempotency-Key: pay-$ORDER" -d "{\"retailerId\":\"$SHOP_ID\",\"amount\":$AMOUNT,\"reference\":\"ESEWA-$(date +%s)\"}" \
    | jq -c "{duplicate, amount: .entry.amount, completed: [.completedOrders[] | {number, status}]}"'
say 'curl -s $API/credit/balance -H "Authorization: Bearer $RETAILER" | jq -c "{held: .held.amount, outstanding: .outstanding.amount, available: .available.amount}"'

echo '# The shop'"'"'s credit score, recalculated with the paid invoice, and why:'
say 'curl -s -X POST $API/credit/score/recalculate -H "Authorization: Bearer $OPERATOR" -H "Content-Type: application/json" \
    -d "{\"retailerId\":\"$SHOP_ID\"}" >/dev/null'
say 'curl -s $API/credit/score -H "Authorization: Bearer $RETAILER" | jq -c "{score, band, evidence: .explanation.evidence}"'

echo '# An export, as CSV (the same data as JSON without .csv):'
say 'curl -s "$API/exports/purchase-volume.csv?groupBy=product" -H "Authorization: Bearer $RETAILER" | head -4'

# With ADMIN_TOTP_SECRET: the audit log, which keeps every auth event and staff action (ADMIN only).
if [ -n "${ADMIN_TOTP_SECRET:-}" ]; then
  echo '# Every sign-in and staff action above is in the audit log (ADMIN only; a retailer gets 403):'
  say 'curl -s $API/admin/audit-log -H "Authorization: Bearer $RETAILER" | jq -c .error.code'
  say 'ADMIN=$(curl -s -X POST $API/auth/login -H "Content-Type: application/json" \
    -d "{\"identifier\":\"admin@demo.khaacho.np\",\"password\":\"$PASSWORD\",\"totpCode\":\"$(totp $ADMIN_TOTP_SECRET)\"}" | jq -r .accessToken)'
  signed_in ADMIN
  say 'curl -s "$API/admin/audit-log?limit=4" -H "Authorization: Bearer $ADMIN" | jq -c ".items[] | [.action, .actor.role, .target.type]"'
fi
