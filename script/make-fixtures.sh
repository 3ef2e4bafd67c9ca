#!/bin/sh
# Regenerates the small real videos in __tests__/fixtures/videos with Debian's
# ffmpeg (apt-get install ffmpeg). The outputs are committed: every machine tests the same bytes.
# One colour, crf 51 and no SEI keep each a few KB; every file but the ones
# named for a broken rule passes TikTok's rules (360-4096 px, 23-60 fps).
set -eu
cd "$(dirname "$0")/../__tests__/fixtures/videos"
ff() { ffmpeg -hide_banner -loglevel error -y "$@"; }
# A flat grey picture; $1 size, $2 rate, $3 seconds.
src() { echo "color=c=gray:s=$1:r=$2:d=$3"; }
tone="sine=f=440:d=2:sample_rate=8000"
h264="-c:v libx264 -preset veryslow -crf 51 -pix_fmt yuv420p -bsf:v filter_units=remove_types=6"

ff -f lavfi -i "$(src 360x640 30 2)" -f lavfi -i "$tone" $h264 -c:a aac -b:a 8k -ac 1 -shortest -movflags +faststart h264-faststart.mp4
ff -f lavfi -i "$(src 360x640 30 2)" $h264 h264-moov-at-end.mp4
ff -f lavfi -i "$(src 360x640 25 2)" -c:v libx265 -crf 51 -x265-params log-level=none -tag:v hvc1 -movflags +faststart hevc.mp4
ff -f lavfi -i "$(src 360x640 25 2)" -c:v libvpx-vp9 -crf 63 -b:v 0 -movflags +faststart vp9.mp4
# A phone held upright: coded 640x360, shown 360x640 through tkhd's matrix.
# (ffmpeg 5 drops the rotate tag when it encodes, so it is set on a copy.)
ff -f lavfi -i "$(src 640x360 30 2)" $h264 /tmp/draftclip-landscape-$$.mp4
ff -i /tmp/draftclip-landscape-$$.mp4 -c copy -metadata:s:v:0 rotate=90 -movflags +faststart rotated.mp4
rm -f /tmp/draftclip-landscape-$$.mp4
ff -f lavfi -i "$(src 360x640 24 2)" $h264 -movflags +faststart clip.mov
ff -f lavfi -i "$(src 360x640 25 2)" $h264 clip.avi
# Two video streams: only the first (360x640, 25 fps) is judged; the second (100x100, 5 fps) (mpeg4) would break three rules.
ff -f lavfi -i "$(src 360x640 25 1)" -f lavfi -i "$(src 100x100 5 1)" -map 0 -map 1 -c:v:0 libx264 -preset veryslow -crf 51 -pix_fmt yuv420p -bsf:v:0 filter_units=remove_types=6 -c:v:1 mpeg4 -q:v:1 31 two-video-streams.avi
ff -f lavfi -i "$tone" -c:a aac -b:a 8k -ac 1 -movflags +faststart audio-only.mp4
ff -f lavfi -i "$(src 360x640 5 2)" $h264 -movflags +faststart 5fps.mp4
ff -f lavfi -i "$(src 100x100 30 2)" $h264 -movflags +faststart 100x100.mp4
# Twelve minutes. At 24 fps its 17,280 frames' sample tables alone would be
# hundreds of KB, so it has one frame a second: it breaks the fps rule too.
ff -f lavfi -i "$(src 360x640 1 720)" $h264 -x264-params keyint=infinite -movflags +faststart 12min.mp4
# The base of the tests' writeMp4/writeAvi (padded to any size): one frame, so
# under 1 KB as an MP4 (its fps is still 24: one frame of 1/24 s).
ff -f lavfi -i "$(src 360x360 24 0.0417)" $h264 -movflags +faststart tiny.mp4
ff -f lavfi -i "$(src 360x360 24 0.0417)" $h264 tiny.avi
# Refused codecs: a few frames (or one: its fps is still 24) is all a reader needs.
ff -f lavfi -i "$(src 360x640 25 0.2)" -c:v mpeg4 -q:v 31 -movflags +faststart mpeg4-part2.mp4
ff -f lavfi -i "$(src 360x640 24 0.0417)" -c:v mjpeg -q:v 31 -pix_fmt yuvj420p -movflags +faststart mjpeg.mov
ff -f lavfi -i "$(src 360x640 24 0.0417)" -c:v prores_ks -profile:v 0 -qscale:v 31 -movflags +faststart prores.mov
# A fragmented MP4 (frames in moof boxes, none in moov): read from its moofs.
ff -f lavfi -i "$(src 360x640 30 1)" $h264 -movflags frag_keyframe+empty_moov fragmented.mp4
# An unfinished render or a cut download: everything before the moov at the end.
ff -f lavfi -i "$(src 360x640 30 2)" $h264 /tmp/draftclip-cut-$$.mp4
moov=$(grep -obUaP 'moov' /tmp/draftclip-cut-$$.mp4 | tail -1 | cut -d: -f1)
head -c $((moov - 4)) /tmp/draftclip-cut-$$.mp4 > cut-no-moov.mp4
rm -f /tmp/draftclip-cut-$$.mp4
# Cut downloads whose metadata survived: the moov at the start (half its frames' data gone), an AVI
# cut at 3/4 (its RIFF and movi sizes say more; cut in half, its hdrl goes too), a fragmented MP4 cut inside a fragment.
head -c $(($(stat -c %s h264-faststart.mp4) / 2)) h264-faststart.mp4 > cut-half-moov-first.mp4
head -c $(($(stat -c %s clip.avi) * 3 / 4)) clip.avi > cut.avi
head -c $(($(stat -c %s fragmented.mp4) * 3 / 4)) fragmented.mp4 > cut-fragmented.mp4
# An AVI written to a pipe (no size, length or index filled in: the reader counts its chunks), and it cut at 3/4.
ffmpeg -hide_banner -loglevel error -i clip.avi -c copy -f avi pipe:1 > piped.avi
head -c $(($(stat -c %s piped.avi) * 3 / 4)) piped.avi > cut-piped.avi
# What a checkout without `lfs: true` leaves under the video's name.
printf 'version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345678\n' > lfs-pointer.mp4

# The samples in examples/videos, which `npm run local-action` publishes.
cp h264-faststart.mp4 ../../../examples/videos/trailer.mp4
cp clip.mov ../../../examples/videos/teaser.mov
ls -l . ../../../examples/videos
