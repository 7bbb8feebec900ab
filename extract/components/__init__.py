"""spaCy components of the extraction pipeline; importing this package registers their factories.

Each factory also answers to its older unversioned name (``onionwatch_drugs``), so pipelines saved
before the names were versioned still load (:func:`extract.registry.versioned_factory`).

==================================  ==============================================  ==================================
factory                             component                                       writes
==================================  ==============================================  ==================================
``onionwatch_drugs_v1``             :class:`~.drugs.DrugRecognizer`                 ``doc._.drugs``
``onionwatch_quantities_v1``        :class:`~.quantities.QuantityRecognizer`        ``doc._.quantities``
``onionwatch_prices_v1``            :class:`~.prices.PriceRecognizer`               ``doc._.price`` ...
``onionwatch_price_units_v1``       :class:`~.price_units.PriceUnitRecognizer`      ``doc._.price_tiers/unit_price``
``onionwatch_shipping_v1``          :class:`~.shipping.ShippingRecognizer`          ``doc._.ships_from/to``
``onionwatch_vendor_v1``            :class:`~.vendor.VendorRecognizer`              ``doc._.vendor``
``onionwatch_terms_v1``             :class:`~.terms.TermsRecognizer`                ``doc._.escrow/finalize_early`` ...
``onionwatch_pgp_keys_v1``          :class:`~.keys.PgpKeyRecognizer`                ``doc._.pgp_keys``
``onionwatch_crypto_addresses_v1``  :class:`~.keys.CryptoAddressRecognizer`         ``doc._.crypto_addresses``
``onionwatch_contacts_v1``          :class:`~.contacts.ContactRecognizer`           ``doc._.contacts``
==================================  ==============================================  ==================================
"""
from __future__ import annotations

from extract.components.contacts import ContactRecognizer, make_contact_recognizer
from extract.components.drugs import DrugRecognizer, make_drug_matcher
from extract.components.keys import (
    CryptoAddressRecognizer, PgpKeyRecognizer, make_crypto_address_recognizer, make_pgp_key_recognizer,
)
from extract.components.price_units import PriceUnitRecognizer, make_price_unit_recognizer
from extract.components.prices import PriceRecognizer, make_price_matcher
from extract.components.quantities import QuantityRecognizer, make_quantity_matcher
from extract.components.shipping import ShippingRecognizer, make_shipping_matcher
from extract.components.terms import TermsRecognizer, make_terms_recognizer
from extract.components.vendor import VendorRecognizer, make_vendor_recognizer

__all__ = [
    "DrugRecognizer", "QuantityRecognizer", "PriceRecognizer", "PriceUnitRecognizer", "ShippingRecognizer",
    "VendorRecognizer", "TermsRecognizer", "PgpKeyRecognizer", "CryptoAddressRecognizer", "ContactRecognizer",
    "make_drug_matcher", "make_quantity_matcher", "make_price_matcher", "make_price_unit_recognizer",
    "make_shipping_matcher", "make_vendor_recognizer", "make_terms_recognizer", "make_pgp_key_recognizer",
    "make_crypto_address_recognizer", "make_contact_recognizer",
]
