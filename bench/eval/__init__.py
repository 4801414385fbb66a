"""Offline evaluation of the preference profile: does a profile built from every
platform's export predict what a person does next better than any single platform?
See ``bench/eval/run.py``."""
