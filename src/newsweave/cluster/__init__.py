"""Cluster: articles' feature rows in, stories out.

- `features`: an article's words and anchors (names, years, numbers, days) as hashed counts;
- `frequencies`: document frequencies kept in the store, TF-IDF and rare names;
- `stories`: the clusterer that places new articles into stories, splits and merges them;
- `split`: one story cut into two events; `pairs`: block-wise similarities over many rows.
"""
from newsweave.cluster.features import article_features
from newsweave.cluster.frequencies import DocumentFrequencies, count_matrix
from newsweave.cluster.stories import StoryClusterer

__all__ = ["DocumentFrequencies", "StoryClusterer", "article_features", "count_matrix"]
