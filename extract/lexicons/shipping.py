"""How listings say where they ship from and to, in the languages markets are written in. Data only.

Regular expressions (case-insensitive, ``[ \\t]`` between words) grouped by role; the parser is
:mod:`extract.parsers.shipping`. Languages: English, German, French, Spanish, Dutch, Italian,
Portuguese, Russian, Polish.

>>> any("versand" in label for label in FROM_LABELS)
True
"""
from __future__ import annotations

__all__ = [
    "FROM_LABELS", "TO_LABELS", "FROM_PHRASES", "BASED_PHRASES", "TO_PHRASES", "ONLY_WORDS",
    "EXCEPT_WORDS", "AND_WORDS", "ARTICLES", "ARROWS", "ROUTE_ARROWS", "WORD_ARROWS", "FROM_WORDS", "TO_WORDS",
    "DOMESTIC_WORDS", "WORLDWIDE_WORDS",
]

_S = r"[ \t]+"

#: Field labels for the origin (a line starting with one, then ":" or a tab, then the value).
FROM_LABELS = (
    # English
    r"ships?[ \t]+from", r"shipping[ \t]+from", r"shipped[ \t]+from", r"sends?[ \t]+from", r"sent[ \t]+from",
    r"dispatch(?:ed|es)?[ \t]+from", r"origin(?:[ \t]+country)?", r"country[ \t]+of[ \t]+origin",
    r"ships?[ \t]+out[ \t]+of", r"product[ \t]+origin", r"location", r"from(?=[ \t]*:)",
    # German
    r"versand(?:[ \t]+(?:aus|von|ab))", r"versandland", r"versendet[ \t]+(?:aus|von)", r"herkunft(?:sland)?",
    r"lieferung[ \t]+(?:aus|von)", r"standort", r"verschickt[ \t]+(?:aus|von)",
    # French
    r"exp[ée]di[ée]e?s?[ \t]+(?:de(?:puis)?|d')", r"exp[ée]dition[ \t]+(?:de(?:puis)?|d')", r"envoi[ \t]+(?:de(?:puis)?|d')",
    r"pays[ \t]+d'origine", r"origine", r"provenance",
    # Spanish, Portuguese, Italian
    r"env[íi]os?[ \t]+desde", r"enviado[ \t]+desde", r"se[ \t]+env[íi]a[ \t]+desde", r"pa[íi]s[ \t]+de[ \t]+origen", r"origen",
    r"enviado[ \t]+de", r"envio[ \t]+de", r"origem", r"spedito[ \t]+da", r"spedizione[ \t]+da", r"provenienza",
    # Dutch
    r"verzonden[ \t]+(?:vanuit|uit)", r"verzending[ \t]+(?:vanuit|uit)", r"herkomst", r"land[ \t]+van[ \t]+herkomst",
    # Russian, Polish
    r"отправка[ \t]+из", r"страна[ \t]+отправки", r"откуда", r"wysyłka[ \t]+z", r"kraj[ \t]+pochodzenia",
)
#: Field labels for the destinations.
TO_LABELS = (
    r"ships?[ \t]+to", r"shipping[ \t]+to", r"shipped[ \t]+to", r"sends?[ \t]+to", r"delivers?[ \t]+to",
    r"delivery[ \t]+to", r"(?:shipping[ \t]+)?destinations?", r"ships?[ \t]+worldwide(?=[ \t]*:)",
    r"available[ \t]+(?:in|to)", r"to(?=[ \t]*:)",
    r"versand[ \t]+(?:nach|in)", r"lieferung[ \t]+(?:nach|in)", r"liefert?[ \t]+nach", r"lieferl[äa]nder",
    r"versandziele?", r"ziell[äa]nder", r"zielland", r"versendet[ \t]+nach",
    r"exp[ée]dition[ \t]+(?:vers|en|à)", r"livraison(?:[ \t]+(?:vers|en|à))?", r"exp[ée]di[ée]e?s?[ \t]+(?:vers|en|à)",
    r"env[íi]os?[ \t]+(?:a|hacia)", r"entrega[ \t]+(?:a|en)", r"destinos?", r"envio[ \t]+para", r"spedizione[ \t]+(?:verso|in|a)",
    r"verzending[ \t]+naar", r"levering[ \t]+naar", r"verzonden[ \t]+naar", r"доставка(?:[ \t]+в)?", r"куда",
    r"wysyłka[ \t]+do",
)

#: Free text: a verb of sending and the preposition before the origin ("we ship from", "Versand aus",
#: "envío desde"); up to two words may stand between ("shipping worldwide from").
FROM_PHRASES = (
    r"(?:ship(?:s|ping|ped)?|send(?:s|ing)?|sent|post(?:s|ed|ing)?|dispatch(?:es|ed|ing)?|mail(?:s|ed|ing)?"
    r"|deliver(?:s|ed|ing)?|stealth)(?:[ \t]+[a-z]+){0,2}?[ \t]+(?:from|out[ \t]+of)",
    r"(?:versand|versende[nt]?|verschick(?:en|t|e)|liefer(?:n|ung|e|t)|sende[nt]?)(?:[ \t]+\w+){0,4}?[ \t]+(?:aus|von|ab)",
    r"(?:exp[ée]di(?:e|é|ée|és|ées|ons|ent|tion)|envoy(?:é|e|ons)|envoi|livr(?:é|ons))(?:[ \t]+\w+){0,2}?[ \t]+(?:depuis|de|d')",
    r"(?:env[íi](?:o|os|a|amos|ado)|despach(?:o|amos|ado))(?:[ \t]+\w+){0,2}?[ \t]+desde",
    r"(?:verzend(?:en|ing)?|verzonden|versturen|verstuurd)(?:[ \t]+\w+){0,2}?[ \t]+(?:vanuit|uit)",
    r"(?:sped(?:ito|iamo|izione|isce))(?:[ \t]+\w+){0,2}?[ \t]+(?:da|dall')",
    r"(?:envi(?:o|amos|ado))(?:[ \t]+\w+){0,2}?[ \t]+(?:de|do|da)(?=[ \t]+[A-Z])",
    r"(?:отправ(?:ка|ляем|ляется))(?:[ \t]+\w+){0,2}?[ \t]+из", r"wysy(?:łka|łamy)(?:[ \t]+\w+){0,2}?[ \t]+z",
)
#: Free text: where the vendor is ("located in the NL", "ansässig in Deutschland").
BASED_PHRASES = (
    r"(?:located|based|situated|operating)[ \t]+(?:in|out[ \t]+of|from)", r"we[ \t]+are[ \t]+(?:in|from)",
    r"ans[äa]ssig[ \t]+in", r"mit[ \t]+sitz[ \t]+in", r"situ[ée]s?[ \t]+(?:en|au|aux|à)", r"bas[ée]s?[ \t]+(?:en|au|aux|à)",
    r"ubicados?[ \t]+en", r"gevestigd[ \t]+in", r"con[ \t]+sede[ \t]+in",
)
#: Free text: a verb of sending and the preposition before the destinations.
TO_PHRASES = (
    # "to" is required: "ships US" in a title more often names the origin
    r"(?:ship(?:s|ping)?|send(?:s|ing)?|post(?:s|ing)?|deliver(?:s|ing|y)?|dispatch(?:es|ing)?)(?:[ \t]+only)?[ \t]+to",
    r"destinations?[ \t]*:", r"ships?[ \t]+to[ \t]*:",
    r"(?:versand|versende[nt]?|verschick(?:en|t|e)|liefer(?:n|ung|e|t)|sende[nt]?)(?:[ \t]+nur)?[ \t]+(?:nach|in[ \t]+(?:die|alle)?)",
    r"(?:exp[ée]di(?:e|é|ée|és|ées|ons|ent|tion)|envoy(?:é|e|ons)|envoi|livr(?:é|ons|aison))(?:[ \t]+uniquement)?[ \t]+(?:vers|en|à|au|aux|dans)",
    r"(?:env[íi](?:o|os|a|amos|ado))(?:[ \t]+solo)?[ \t]+(?:a|hacia|para)",
    r"(?:verzend(?:en|ing)?|verzonden|versturen|leveren|levering)(?:[ \t]+alleen)?[ \t]+naar",
    r"(?:sped(?:ito|iamo|izione|isce))(?:[ \t]+solo)?[ \t]+(?:verso|in|a)",
    r"(?:доставка|отправляем)[ \t]+(?:в|по)", r"wysy(?:łka|łamy)[ \t]+do",
)
#: "EU only", "nur EU", "solo España": the places are the only destinations.
ONLY_WORDS = (r"only", r"nur", r"uniquement", r"seulement", r"solo", r"sólo", r"alleen", r"soltanto", r"apenas",
              r"только", r"tylko")
#: What comes before exclusions: "worldwide except AU/NZ", "weltweit außer USA".
EXCEPT_WORDS = (r"except", r"excluding", r"exclude", r"but", r"not[ \t]+to", r"no[ \t]+shipping", r"apart[ \t]+from",
                r"au(?:ß|ss)er", r"ausgenommen", r"ausser", r"nicht[ \t]+nach", r"sauf", r"excepté", r"hors",
                r"excepto", r"salvo", r"menos", r"behalve", r"uitgezonderd", r"tranne", r"eccetto", r"exceto",
                r"кроме", r"oprócz", r"poza")
#: Joining words in a list of places.
AND_WORDS = (r"and", r"or", r"und", r"oder", r"et", r"ou", r"y", r"o", r"e", r"en", r"of", r"и", r"i", r"oraz")
#: Articles that may stand before a place ("the NL", "aus den Niederlanden", "depuis la France").
ARTICLES = (r"the", r"den", r"der", r"dem", r"die", r"le", r"la", r"les", r"l'", r"el", r"los", r"las", r"het",
            r"o", r"os", r"a", r"as", r"il", r"lo", r"gli")
#: Arrows between an origin and its destinations ("DE -> anywhere", "US > US").
ARROWS = (r"->", r"→", r"=>", r"⇒", r">", r"»", r"to", r"nach", r"vers", r"naar", r"hacia", r"para", r"a", r"à")
#: Arrows that on their own make "A -> B, C" a route, even glued ("US->UK") and on a line that names
#: no shipping (">" and "»" also separate breadcrumbs: "Drugs » Europe » Netherlands").
ROUTE_ARROWS = (r"->", r"→", r"=>", r"⇒")
#: The arrows that are words: one only between blanks ("Deutschland nach Österreich").
WORD_ARROWS = tuple(a for a in ARROWS if a[0].isalpha())
#: A bare preposition before an origin that an arrow follows ("from NL to DE and BE", "von Deutschland
#: nach Österreich", "desde España a Portugal").
FROM_WORDS = (r"from", r"von", r"aus", r"depuis", r"desde", r"vanuit", r"uit", r"da", r"de", r"z")
#: A preposition that may repeat before a further destination of a list ("to DE and to NL",
#: "nach Österreich und in die Schweiz", "vers la Belgique et en Suisse").
TO_WORDS = (r"to", r"into", r"nach", r"in", r"vers", r"en", r"au", r"aux", r"naar", r"hacia", r"para", r"a", r"à",
            r"verso", r"do", r"в")
#: Destinations that are the origin country itself ("US domestic", "nur Inland").
DOMESTIC_WORDS = (r"domestic(?:[ \t]+only)?", r"inland", r"inländisch", r"national(?:[ \t]+only)?", r"nacional",
                  r"binnenland")
#: Words that on their own say "ships worldwide" anywhere on a page without a destination field.
WORLDWIDE_WORDS = (r"world[ \t-]?wide", r"worlwide", r"wolrdwide", r"weltweit", r"wereldwijd", r"mondialement",
                   r"dans[ \t]+le[ \t]+monde[ \t]+entier", r"a[ \t]+todo[ \t]+el[ \t]+mundo", r"in[ \t]+tutto[ \t]+il[ \t]+mondo",
                   r"по[ \t]+всему[ \t]+миру", r"na[ \t]+cały[ \t]+świat")
