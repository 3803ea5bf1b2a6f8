from __future__ import annotations

from pathlib import Path

import av
import httpx

from tests.factories import CLIP, descriptor_processes, make_account, running_server, upload_files, wait_for_status


def test_a_real_photo_and_clip_come_back_swapped_and_downloadable(tmp_path: Path) -> None:
    with running_server(tmp_path / "data", run_worker=True) as server:
        account = make_account(server.runtime, credits=3)
        client = server.client(account.key)
        created = client.post("/v1/videos", **upload_files(mouth_mask="true")).json()["data"]
        video = wait_for_status(client, created["id"], {"completed", "failed"})
        assert video["status"] == "completed", video["error"]
        assert video["progress"] == 100 and video["ec2_instance_id"] == server.runtime.settings.instance_id
        assert 0 < video["identity_score"] <= 1
        assert list(video)[10:12] == ["output_video_url", "ec2_instance_id"]
        output = tmp_path / "out.mp4"
        response = httpx.get(video["output_video_url"], follow_redirects=True)
        assert response.status_code == 200 and response.headers["content-type"] == "video/mp4"
        output.write_bytes(response.content)
        with av.open(str(output)) as result, av.open(str(CLIP)) as original:
            assert "AI-generated" in result.metadata.get("comment", "")
            assert result.streams.video[0].frames == original.streams.video[0].frames
        assert client.get("/v1/credit-balance").json()["data"]["credits"] == 2
        assert descriptor_processes()  # the worker thread keeps its dlib helper for the next job
    assert not descriptor_processes()  # stopping the server's worker ended it
