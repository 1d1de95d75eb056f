"""Site search over articles and treatment centers (issue 3).

`refresh_center_index` keeps the centers' index current (importers call it), and
`index_articles` the articles'; `search_site` answers a query with both groups.
"""

from locator.site_search.articles import ArticleIndexReport, index_articles, read_articles
from locator.site_search.centers import fill_empty_center_index, refresh_center_index
from locator.site_search.results import Hit, HitGroup, SiteSearchResults, marked, search_site
from locator.site_search.words import query_words

__all__ = [
    "ArticleIndexReport",
    "Hit",
    "HitGroup",
    "SiteSearchResults",
    "fill_empty_center_index",
    "index_articles",
    "marked",
    "query_words",
    "read_articles",
    "refresh_center_index",
    "search_site",
]
