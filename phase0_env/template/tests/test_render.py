"""The placeholder renderer: fills known keys, keeps GitHub expressions, refuses unknown keys."""

import pytest

from phase0_env.template.render import output_name, render, render_tree


def test_placeholders_are_filled_with_or_without_inner_spaces():
    assert render("pkg {{name}} / {{ name }}", {"name": "x"}) == "pkg x / x"


def test_github_actions_expressions_are_left_alone():
    text = "python-version: ${{ matrix.python-version }} for {{name}}"
    assert render(text, {"name": "x"}) == "python-version: ${{ matrix.python-version }} for x"


def test_an_unknown_placeholder_is_an_error_naming_the_file_and_known_keys():
    with pytest.raises(
        KeyError, match=r"unknown placeholder \{\{nmae\}\} in setup.cfg; known: name"
    ):
        render("{{nmae}}", {"name": "x"}, where="setup.cfg")


def test_output_names_undo_dot_prefix_and_tmpl_suffix():
    ctx = {"name": "pkg"}
    assert output_name("dot-gitignore", ctx) == ".gitignore"
    assert output_name("test_{{name}}.py.tmpl", ctx) == "test_pkg.py"
    assert output_name("Makefile", ctx) == "Makefile"


def test_render_tree_renders_paths_and_contents_and_keeps_modes(tmp_path):
    skeleton = tmp_path / "skel"
    (skeleton / "src" / "{{name}}").mkdir(parents=True)
    (skeleton / "src" / "{{name}}" / "run.sh").write_text("echo {{name}}\n")
    (skeleton / "src" / "{{name}}" / "run.sh").chmod(0o755)
    (skeleton / "blob.bin").write_bytes(b"\xff\xfe{{name}}")
    written = render_tree(skeleton, tmp_path / "out", {"name": "pkg"})
    script = tmp_path / "out" / "src" / "pkg" / "run.sh"
    assert script in written and script.read_text() == "echo pkg\n"
    assert script.stat().st_mode & 0o777 == 0o755
    assert (tmp_path / "out" / "blob.bin").read_bytes() == b"\xff\xfe{{name}}"  # binary: as is
