import numpy as np
import pytest

from kinora import world


def test_render_is_deterministic_per_seed():
    a, ta = world.render(world.sample_scene(3), 64, 64, 8)
    b, tb = world.render(world.sample_scene(3), 64, 64, 8)
    c, _ = world.render(world.sample_scene(4), 64, 64, 8)
    assert np.array_equal(a, b)
    assert np.array_equal(ta["objects"][0]["x"], tb["objects"][0]["x"])
    assert not np.array_equal(a, c)


@pytest.mark.parametrize("aspect", list(world.ASPECTS))
def test_sizes_and_frame_counts(aspect):
    w, h = world.ASPECTS[aspect]
    assert w % 16 == 0 and h % 16 == 0
    for frames in (1, 5, 16):
        video, truth = world.render(world.sample_scene(1), w, h, frames)
        assert video.shape == (frames, h, w, 3) and video.dtype == np.uint8
        assert len(truth["objects"][0]["x"]) == frames


def single(shape="circle", motion="bounce", start=(0.5, 0.15), colour="red", background=None, camera="static"):
    obj = {"colour": colour, "shape": shape, "size": "medium", "motion": motion, "speed": "slowly",
           "start": list(start), "z": 0, "phase": 0.0, "drift": 0.0}
    return {"background": background or {"kind": "plain", "colour": "white"}, "camera": camera,
            "objects": [obj], "occlusion": False}


def test_bounce_heights_decay_under_gravity():
    t = np.linspace(0, 6, 3000)
    y = world._vertical_drop(0.1, 0.9, 0.1, world.RESTITUTION, t)
    floor = 0.8
    assert abs(y.max() - floor) < 1e-6 and y.min() == pytest.approx(0.1)
    # apexes between ground contacts: heights above the floor decay by RESTITUTION**2
    apex = [floor - y[i] for i in range(1, len(y) - 1) if y[i] < y[i - 1] and y[i] <= y[i + 1] and i > 5]
    assert len(apex) >= 3
    ratios = np.array(apex[1:4]) / np.array(apex[0:3])
    assert np.allclose(ratios, world.RESTITUTION ** 2, atol=0.03)
    # free fall: y = y0 + g t^2 / 2 before the first contact
    assert y[100] == pytest.approx(0.1 + 0.5 * world.GRAVITY * t[100] ** 2)


def test_fall_lands_and_stays():
    _, truth = world.render(single(motion="fall"), 64, 64, 16)
    y = truth["objects"][0]["y"]
    assert y[-1] > y[0] + 20 and y[-1] == y[-2] == y[-3]


def test_directions_on_screen():
    for motion, axis, sign in (("left", "x", -1), ("right", "x", 1), ("up", "y", -1), ("down", "y", 1)):
        _, truth = world.render(single(motion=motion, start=(0.5, 0.5)), 64, 64, 16)
        d = truth["objects"][0][axis][-1] - truth["objects"][0][axis][0]
        assert sign * d > 5, motion


def test_camera_pan_moves_the_scene_the_other_way():
    scene = single(motion="still", start=(0.5, 0.5), background={"kind": "day"}, camera="pan_left")
    _, truth = world.render(scene, 64, 64, 16)
    assert truth["objects"][0]["x"][-1] - truth["objects"][0]["x"][0] > 5     # camera left -> scene right
    zoom = single(motion="still", start=(0.3, 0.5), background={"kind": "night"}, camera="zoom_in")
    _, tz = world.render(zoom, 64, 64, 16)
    assert tz["objects"][0]["r"][-1] > 1.4 * tz["objects"][0]["r"][0]


def test_occlusion_hides_and_reveals():
    for seed in range(200):
        scene = world.sample_scene(seed)
        if scene["occlusion"]:
            break
    _, truth = world.render(scene, 64, 64, 16)
    vis = truth["objects"][0]["visible"]
    assert vis.min() < 0.5 and vis[0] > 0.5 and vis[-1] > 0.5


def test_held_out_split():
    for seed in range(300):
        assert not world.scene_is_held_out(world.sample_scene(seed, split="train"))
        assert world.is_held_out(world.sample_scene(seed, split="heldout")["objects"][0])


def test_scene_covers_the_vocabulary_of_the_world():
    seen = {"colour": set(), "shape": set(), "motion": set(), "bg": set(), "camera": set(), "n": set()}
    for seed in range(400):
        s = world.sample_scene(seed, split="any")
        for o in s["objects"]:
            seen["colour"].add(o["colour"]); seen["shape"].add(o["shape"]); seen["motion"].add(o["motion"])
        seen["bg"].add(s["background"]["kind"]); seen["camera"].add(s["camera"]); seen["n"].add(len(s["objects"]))
    assert seen["colour"] == set(world.COLOURS) and seen["shape"] == set(world.SHAPES)
    assert seen["motion"] == set(world.MOTIONS) and seen["bg"] == set(world.BACKGROUNDS)
    assert seen["camera"] == set(world.CAMERAS) and seen["n"] == {1, 2, 3}
