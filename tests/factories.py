"""Small hand-written articles for tests: two outlets carrying one statement, written for these tests."""
from __future__ import annotations

from datetime import date

from app.domain.articles import ArticleInput

STATEMENT = ("The harbour authority will close the northern pier to all cargo traffic "
             "for the next three months while engineers repair the storm damage")

HERALD = ArticleInput(
    outlet="Northport Herald", title="Pier to close for repairs", published=date(2024, 5, 2),
    text=("Pier to close for repairs\n\n"
          "Officials confirmed the plan on Tuesday.\n\n"
          f"“{STATEMENT},” harbour master Mirela Dunst said at a briefing.\n\n"
          "Local traders said they were worried about the cost.\n"))

GAZETTE = ArticleInput(
    outlet="Coastal Gazette", title="Northern pier shuts", published=date(2024, 5, 3),
    text=("Northern pier shuts\n\n"
          "Harbour master Mirela Dunst told reporters that “the harbour authority will close the "
          "northern pier to all cargo traffic for the next three months,” adding that repairs "
          "would begin at once.\n"))

DENIAL = ArticleInput(
    outlet="Bay Tribune", title="Shipping group rejects closure story", published=date(2024, 5, 4),
    text=("Shipping group rejects closure story\n\n"
          "A shipping association said the pier would stay open. “There is no plan to stop cargo "
          "traffic at the northern pier this year,” association chair Oskar Lind said.\n"))
