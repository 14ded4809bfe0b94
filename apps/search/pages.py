"""A page of search results, shaped like Django's Page for the shared pagination fragment."""

from math import ceil

from apps.search.results import SearchResults
from apps.search.selectors import MAX_RESULTS


class ResultsPage:
    """What templates/sources/_pagination.html and the results heading read."""

    def __init__(self, results: SearchResults):
        self.results = results
        self.number = results.offset // results.limit + 1
        reachable = min(results.total, MAX_RESULTS)
        self.num_pages = max(1, ceil(reachable / results.limit))
        self.paginator = self  # the fragment asks page.paginator.num_pages

    @property
    def object_list(self) -> list:
        return self.results.hits

    def has_previous(self) -> bool:
        return self.number > 1

    def has_next(self) -> bool:
        return self.number < self.num_pages

    def has_other_pages(self) -> bool:
        return self.num_pages > 1

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def found(self) -> str:
        """ "3 results", or "more than 1000 results" past what is paged through."""
        total = self.results.total
        if total > MAX_RESULTS:
            return f"more than {MAX_RESULTS} results"
        return f"{total} result{'' if total == 1 else 's'}"
