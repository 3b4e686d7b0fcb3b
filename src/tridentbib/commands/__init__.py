"""The commands behind the CLI (build, check, cache): their policy, testable without typer."""
