#!/bin/sh
# Regenerates nhac-hieu.mp3, the signature chime of the example programmes: four bell-like sine tones
# (C5 E5 G5 C6, each with a soft octave partial and an exponential decay), 4 s, mono, 22.05 kHz,
# MP3 at 40 kbit/s (about 20 KB; receivers download it, so it stays small). Run from the repository root.
set -eu
FFMPEG=${FFMPEG:-node_modules/@ffmpeg-installer/linux-x64/ffmpeg}
note() { # frequency, start (s), decay rate
  echo "gte(t,$2)*(sin(2*PI*$1*(t-$2))+0.25*sin(2*PI*2*$1*(t-$2))*exp(-4*(t-$2)))*exp(-$3*(t-$2))"
}
EXPR="0.55*($(note 523.25 0 2.2)+$(note 659.25 0.45 2.2)+$(note 783.99 0.9 2.2)+$(note 1046.50 1.35 1.3))"
"$FFMPEG" -hide_banner -loglevel error -y -f lavfi -i "aevalsrc='$EXPR':s=22050:d=4:c=mono" \
  -af "afade=t=in:d=0.005,afade=t=out:st=3.4:d=0.6" -ac 1 -ar 22050 -c:a libmp3lame -b:a 40k \
  -metadata title="Nhạc hiệu đài truyền thanh xã Văn Sơn" schedules/audio/nhac-hieu.mp3
