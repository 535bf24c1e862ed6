"""``python -m formkit`` runs the command line."""
from .cli import main

main(prog_name="formkit")
