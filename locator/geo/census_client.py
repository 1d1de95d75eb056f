"""The U.S. Census Bureau's batch geocoder, through the maintained `censusgeocode` package.

The endpoint is a setting (LOCATOR_CENSUS_GEOCODER_URL), so tests, and a mirror, can answer
in the Census batch format.
"""

from __future__ import annotations

from censusgeocode import CensusGeocode
from requests.exceptions import RequestException

from locator.geo.census import MAX_BATCH, BatchAddress, BatchFailed, batch_points


class ConfiguredCensusGeocode(CensusGeocode):
    """censusgeocode's client, sending batches to the configured endpoint instead of its own."""

    def __init__(self, batch_url: str) -> None:
        super().__init__()
        self._batch_url = batch_url

    def _geturl(self, searchtype, returntype=None):
        """The configured URL for batches; the package's own for anything else."""
        if searchtype == "addressbatch":
            return self._batch_url
        return super()._geturl(searchtype, returntype)


class CensusBatchGeocoder:
    """Sends batches of addresses and reads back a point, or None, per id."""

    def __init__(self, batch_url: str, timeout: float) -> None:
        self.client = ConfiguredCensusGeocode(batch_url)
        self.timeout = timeout

    def geocode(self, batch: list[BatchAddress]) -> dict[int, tuple[float, float] | None]:
        """(latitude, longitude) per id for matched addresses, None for the others.

        BatchFailed when the request fails or the answer does not account for every address
        sent (an error page, a cut-off answer).
        """
        if not batch:
            return {}
        if len(batch) > MAX_BATCH:
            raise ValueError(f"at most {MAX_BATCH:,} addresses a batch")
        rows = [
            {"id": a.id, "street": a.street, "city": a.city, "state": a.state, "zip": a.zip}
            for a in batch
        ]
        try:
            answer = self.client.addressbatch(rows, returntype="locations", timeout=self.timeout)
        except RequestException as error:
            reason = f"the geocoder could not be reached: {type(error).__name__}"
            raise BatchFailed(reason) from error
        return batch_points(answer, {a.id for a in batch})
