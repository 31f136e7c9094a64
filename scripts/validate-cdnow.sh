#!/usr/bin/env bash
# Reproduces the published BG/NBD and Gamma-Gamma parameters of the CDNOW sample (Fader, Hardie and Lee 2005)
# through Motiv's own import and API, on a fresh SQLite database in a temporary folder.
#   scripts/validate-cdnow.sh path/to/CDNOW_sample.txt
set -euo pipefail
sample=${1:?usage: scripts/validate-cdnow.sh path/to/CDNOW_sample.txt}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
export ConnectionStrings__Motiv="Data Source=$work/motiv.db"
export Motiv__Import__Path="$work/imports" Motiv__Attachments__Path="$work/attachments"
export Motiv__Demo__Password="Validate-CDNOW-1" Logging__LogLevel__Default=Warning
url=http://127.0.0.1:5099

dotnet build -c Release -v q "$root/src/Motiv.Web" >/dev/null
dll="$root/src/Motiv.Web/bin/Release/net10.0/Motiv.Web.dll"

# 1. A Motiv with its demo users (the demo's own orders stay apart: the analysis reads the customers tagged "cdnow").
dotnet "$dll" --demo --urls "$url" >"$work/server.log" 2>&1 &
server=$!
until curl -sf "$url/login" >/dev/null; do sleep 1; done
kill $server; wait $server 2>/dev/null || true

# 2. The sample as CSV (customer, date, CDs, dollars) and Motiv's order import: one order per purchase,
#    customers created by their id, tagged "cdnow".
awk 'BEGIN { print "customer,date,quantity,amount" } { print $2 "," $3 "," $4 "," $5 }' "$sample" >"$work/cdnow.csv"
dotnet "$dll" import --as admin@motiv.demo --entity orders --file "$work/cdnow.csv" \
  --map "customer=customerExternalId;date=orderDate;quantity=quantity;amount=lineTotal" \
  --number-format en --tag cdnow --create-missing

# 3. The model through the API: calibration until 1997-09-30, weeks as the unit.
token=$(dotnet "$dll" token create --email admin@motiv.demo --name cdnow | tail -n 1)
dotnet "$dll" --urls "$url" >>"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
until curl -sf "$url/login" >/dev/null; do sleep 1; done
echo "Model:"
curl -sf -H "Authorization: Bearer $token" "$url/api/v1/insights/clv/model?asOf=1997-09-30&unit=week&tag=cdnow"
echo
echo "Published: BG/NBD r = 0.243, alpha = 4.414, a = 0.793, b = 2.426 (LL -9582.4); Gamma-Gamma p = 6.25, q = 3.74, v = 15.44 (946 repeaters)"
