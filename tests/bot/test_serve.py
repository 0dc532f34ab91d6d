"""``python -m bot.serve``: ``rasa run`` with its token from the environment, not the argv."""

from __future__ import annotations

import pytest

from bot.serve import rasa_argv

OPTIONS = ["--enable-api", "--model", "models/icbot-en.tar.gz", "--port", "5005"]


def test_the_token_joins_rasas_arguments_inside_the_process() -> None:
    assert rasa_argv(OPTIONS, {"ICBOT_RASA_TOKEN": "t0k3n"}) == [
        "rasa",
        "run",
        *OPTIONS,
        "--auth-token=t0k3n",
    ]


@pytest.mark.parametrize("token", ["t0k3n", "-Kx_9", "--looks-like-an-option"])
def test_rasa_reads_any_token_even_one_that_starts_with_a_dash(token: str) -> None:
    from rasa.__main__ import create_argument_parser

    arguments = create_argument_parser().parse_args(
        rasa_argv(OPTIONS, {"ICBOT_RASA_TOKEN": token})[1:]
    )
    assert arguments.auth_token == token


@pytest.mark.parametrize("environ", [{}, {"ICBOT_RASA_TOKEN": ""}, {"ICBOT_RASA_TOKEN": " "}])
def test_without_a_token_rasa_does_not_start(environ: dict[str, str]) -> None:
    with pytest.raises(SystemExit, match="ICBOT_RASA_TOKEN is not set"):
        rasa_argv(OPTIONS, environ)


@pytest.mark.parametrize("option", [["--auth-token", "x"], ["--auth-token=x"], ["-t", "x"]])
def test_a_token_on_the_command_line_is_refused(option: list[str]) -> None:
    with pytest.raises(SystemExit, match="never from the command line"):
        rasa_argv([*OPTIONS, *option], {"ICBOT_RASA_TOKEN": "t0k3n"})
