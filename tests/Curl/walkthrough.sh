#!/usr/bin/env bash
# The whole API by hand, exactly as docs/API.md describes it, with curl against a running emulator:
# token -> session -> upload -> agent message -> state -> render -> poll -> download, then ffprobe.
# Usage: tests/Curl/walkthrough.sh [BASE_URL] [BITRATE_KBPS]
# Without BASE_URL it builds and starts the emulator on a free loopback port, and stops it at the end.
set -euo pipefail
KBPS="${2:-320}"
work=$(mktemp -d)
emulator_pid=""
cleanup() { [ -n "$emulator_pid" ] && kill "$emulator_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
if [ -n "${1:-}" ]; then
  B="${1%/}"
else
  root="$(cd "$(dirname "$0")/../.." && pwd)"
  dotnet build "$root/src/NemoVideo.Emulator" -c Release --nologo -v quiet >/dev/null
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  B="http://127.0.0.1:$port"
  dotnet "$root/src/NemoVideo.Emulator/bin/Release/net10.0/NemoVideo.Emulator.dll" --urls "$B" --quiet > "$work/emulator.log" 2>&1 &
  emulator_pid=$!
  for _ in $(seq 1 100); do curl -fs "$B/_emulator/stats" >/dev/null 2>&1 && break; sleep 0.2; done
  echo "emulator on $B"
fi
json() { python3 -c "import sys,json; d=json.load(sys.stdin); print(eval('d' + sys.argv[1]))" "$1"; }
H=(-H "X-Skill-Source: nemovideo-powershell" -H "X-Skill-Version: 0.1.0" -H "X-Skill-Platform: shell")

ffmpeg -hide_banner -loglevel error -f lavfi -i testsrc2=size=640x360:rate=25 -f lavfi -i sine=frequency=440:sample_rate=44100 \
  -t 4 -c:v libx264 -c:a aac -shortest "$work/clip.mp4"

token=$(curl -fsS -X POST -H "X-Client-Id: $(cat /proc/sys/kernel/random/uuid)" "$B/api/auth/anonymous-token" | json '["data"]["token"]')
A=(-H "Authorization: Bearer $token")
sid=$(curl -fsS -X POST "${H[@]}" "${A[@]}" -H 'Content-Type: application/json' -d '{"task_name":"project","language":"en"}' \
  "$B/api/tasks/me/with-session/nemo_agent" | json '["data"]["session_id"]')
echo "session $sid"
curl -fsS -X POST "${H[@]}" "${A[@]}" -F "files=@$work/clip.mp4" "$B/api/upload-video/nemo_agent/me/$sid" | json '["data"]["files"][0]["filename"]'
curl -fsSN -X POST "${H[@]}" "${A[@]}" -H 'Accept: text/event-stream' -H 'Content-Type: application/json' \
  -d "{\"app_name\":\"nemo_agent\",\"user_id\":\"me\",\"session_id\":\"$sid\",\"new_message\":{\"parts\":[{\"text\":\"Extract the audio as MP3 at $KBPS kbps\"}]}}" \
  "$B/run_sse" > "$work/events.txt"
echo "agent: $(grep -c '^data:' "$work/events.txt") events"
curl -fsS "${H[@]}" "${A[@]}" "$B/api/state/nemo_agent/me/$sid/latest" > "$work/state.json"
draft=$(json '["data"]["state"]["draft"]' < "$work/state.json" | python3 -c 'import sys,ast,json; print(json.dumps(ast.literal_eval(sys.stdin.read())))')
rid="render_$(date +%s%N)"
curl -fsS -X POST "${H[@]}" "${A[@]}" -H 'Content-Type: application/json' \
  -d "{\"id\":\"$rid\",\"sessionId\":\"$sid\",\"draft\":$draft,\"output\":{\"format\":\"mp3\",\"quality\":\"high\"}}" "$B/api/render/proxy/lambda" > /dev/null
for _ in $(seq 1 120); do
  status=$(curl -fsS "${H[@]}" "${A[@]}" "$B/api/render/proxy/lambda/$rid" | tee "$work/render.json" | json '["data"]["status"]')
  [ "$status" = completed ] && break
  [ "$status" = failed ] && { cat "$work/render.json"; exit 1; }
  sleep 0.5
done
url=$(json '["data"]["outputUrl"]' < "$work/render.json")
curl -fsS -o "$work/out.mp3" "$url"   # the CDN: no Authorization header
codec=$(ffprobe -v error -select_streams a:0 -show_entries stream=codec_name -of csv=p=0 "$work/out.mp3")
rate=$(ffprobe -v error -select_streams a:0 -show_entries stream=bit_rate -of csv=p=0 "$work/out.mp3")
echo "output: $codec at $rate bit/s"
[ "$codec" = mp3 ] && [ "$rate" = "$((KBPS * 1000))" ] || { echo "walkthrough FAILED"; exit 1; }
echo "walkthrough passed"
