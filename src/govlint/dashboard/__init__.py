"""`govlint report -o DIR`: the portfolio dashboard, one static page that works offline.

portfolio.py draws the facts from a judged registry, charts.py turns them into plotly
figures with their tables, page.py writes the HTML, the plotly.js it needs and a CSV per
table into DIR. plotly and Jinja2 come with the `govlint[report]` extra.
"""
