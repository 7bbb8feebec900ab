"""spaCy components of the extraction pipeline; importing this package registers their factories.

=========================  ==========================================  ======================
factory                    component                                    writes
=========================  ==========================================  ======================
``onionwatch_drugs``       :class:`~.drugs.DrugRecognizer`              ``doc._.drugs``
``onionwatch_quantities``  :class:`~.quantities.QuantityRecognizer`     ``doc._.quantities``
``onionwatch_prices``      :class:`~.prices.PriceRecognizer`            ``doc._.price`` ...
``onionwatch_shipping``    :class:`~.shipping.ShippingRecognizer`       ``doc._.ships_from/to``
=========================  ==========================================  ======================
"""
from __future__ import annotations

from extract.components.drugs import DrugRecognizer, make_drug_matcher
from extract.components.prices import PriceRecognizer, make_price_matcher
from extract.components.quantities import QuantityRecognizer, make_quantity_matcher
from extract.components.shipping import ShippingRecognizer, make_shipping_matcher

__all__ = [
    "DrugRecognizer", "QuantityRecognizer", "PriceRecognizer", "ShippingRecognizer",
    "make_drug_matcher", "make_quantity_matcher", "make_price_matcher", "make_shipping_matcher",
]
