"""The video row of the benchmark (bench/video.py) runs end to end on a short clip."""

from bench import video


def test_the_video_row_transcodes_a_720p_clip_and_reports_its_memory(tmp_path):
    row = video.measure(1, tmp_path)
    assert row["size"] == [1280, 720] and row["duration_s"] == 1.0
    assert row["transcode_s"] > 0 and row["output_mb"] < row["source_mb"]
    rss = row["peak_rss_mb"]
    assert 0 < rss["transcode_child"] < 500 and rss["total"] == rss["worker"] + rss["transcode_child"]
    assert "1280x720" in video.line(row) and not list(tmp_path.iterdir())  # the clip is removed
