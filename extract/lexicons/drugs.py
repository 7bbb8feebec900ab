"""Drug lexicon: canonical names, classes and the ways market listings write them.

Data only: the matcher that reads this table lives in :mod:`extract.components.drugs`.

Each :class:`DrugEntry` has a canonical ``name`` (the generic substance, lower case: brand names
and slang map to it), a ``drug_class`` from :data:`DRUG_CLASSES`, ``terms`` matched
case-insensitively as whole tokens, and ``ambiguous`` terms that are ordinary words too ("speed",
"ice", "bars"): those count only next to a number or a unit. Long single-word terms also match
when split by a space or hyphen ("fent anyl") and with one typing error ("fentanil"); the matcher
derives those variants, so they are not listed here.

>>> by_name()["oxycodone"].drug_class
'opioid'
>>> "xanax" in by_name()["alprazolam"].terms
True
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

__all__ = ["DrugEntry", "DRUG_CLASSES", "DRUGS", "by_name", "entries_from_dicts"]

#: Classes, most specific first where an analyst would want them apart (fentanyl and nitazenes are
#: kept out of "opioid"; counterfeit pressed pills are their own class whatever they contain).
DRUG_CLASSES = (
    "fentanyl",
    "nitazene",
    "pressed_pill",
    "opioid",
    "stimulant",
    "empathogen",
    "cannabis",
    "synthetic_cannabinoid",
    "benzodiazepine",
    "sedative",
    "depressant",
    "dissociative",
    "psychedelic",
    "steroid",
    "prescription",
)


@dataclass(frozen=True)
class DrugEntry:
    """One substance and the surface forms that name it."""

    name: str
    drug_class: str
    terms: tuple[str, ...] = ()
    ambiguous: tuple[str, ...] = ()
    fuzzy: bool = True

    def all_terms(self) -> tuple[str, ...]:
        """The name and every unambiguous term, without duplicates, in table order."""
        return tuple(dict.fromkeys((self.name, *self.terms)))

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "class": self.drug_class,
            "terms": list(self.terms),
            "ambiguous": list(self.ambiguous),
            "fuzzy": self.fuzzy,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "DrugEntry":
        return cls(
            name=data["name"],
            drug_class=data["class"],
            terms=tuple(data.get("terms", ())),
            ambiguous=tuple(data.get("ambiguous", ())),
            fuzzy=bool(data.get("fuzzy", True)),
        )


def _d(name: str, cls: str, *terms: str, ambiguous: Iterable[str] = (), fuzzy: bool = True) -> DrugEntry:
    return DrugEntry(name, cls, tuple(terms), tuple(ambiguous), fuzzy)


DRUGS: tuple[DrugEntry, ...] = (
    # --- fentanyl and analogues -------------------------------------------------------------
    _d("fentanyl", "fentanyl", "fentanil", "fentanyle", "fentanilo", "fent", "fetty", "fenty",
       "fentanyl hcl", "fentanyl citrate", "fent powder", "china white", "fentanyl patch",
       "fentanyl patches", "duragesic"),
    _d("carfentanil", "fentanyl", "carfentanyl", "carfent", "carfentanil citrate", "carfentanila"),
    _d("acetylfentanyl", "fentanyl", "acetyl fentanyl", "acetyl-fentanyl", "acetylfentanil",
       "acetylfentanyl hcl", "acetyl-f", "acetyl f", "acetylfentanilo"),
    _d("furanylfentanyl", "fentanyl", "furanyl fentanyl", "furanyl-fentanyl", "fu-f", "furanylfentanil"),
    _d("acrylfentanyl", "fentanyl", "acryloylfentanyl", "acryl fentanyl", "acrylfentanil"),
    _d("butyrfentanyl", "fentanyl", "butyrylfentanyl", "butyr fentanyl", "butyrfentanil"),
    _d("cyclopropylfentanyl", "fentanyl", "cyclopropyl fentanyl", "cyclopropylfentanil"),
    _d("methoxyacetylfentanyl", "fentanyl", "methoxyacetyl fentanyl", "mao-f"),
    _d("ocfentanil", "fentanyl", "ocfentanyl"),
    _d("para-fluorofentanyl", "fentanyl", "p-fluorofentanyl", "4-fluorofentanyl", "pff",
       "para-fluoro fentanyl", "fluorofentanyl"),
    _d("3-methylfentanyl", "fentanyl", "3-mf", "3 methylfentanyl"),
    _d("sufentanil", "fentanyl", "sufentanyl"),
    _d("alfentanil", "fentanyl"),
    _d("remifentanil", "fentanyl"),
    # --- nitazenes ----------------------------------------------------------------------------
    _d("isotonitazene", "nitazene", "iso-nitazene", "isotonitazine"),
    _d("metonitazene", "nitazene"),
    _d("protonitazene", "nitazene"),
    _d("etonitazene", "nitazene"),
    _d("etodesnitazene", "nitazene", "etazene"),
    _d("flunitazene", "nitazene"),
    _d("butonitazene", "nitazene"),
    _d("metodesnitazene", "nitazene"),
    _d("n-pyrrolidino etonitazene", "nitazene", "etonitazepyne", "n-pyrrolidino-etonitazene",
       "etonitazepyne hcl"),
    _d("n-desethyl isotonitazene", "nitazene", "n-desethylisotonitazene"),
    _d("nitazene", "nitazene", "nitazenes", "nitazine", "nitazines"),
    # --- counterfeit pressed pills ------------------------------------------------------------
    _d("m30", "pressed_pill", "m30s", "m-30", "m-30s", "m 30s", "blue m30", "blue m30s", "m box 30",
       "pressed m30", "pressed m30s", "fake m30", "fake m30s", "fake oxy", "pressed oxy",
       "dirty 30s", "perc 30", "perc 30s", "perc30", "perc30s",
       ambiguous=("blues", "m 30", "mboxes", "dirties")),
    _d("a215", "pressed_pill", "a215s", "a-215", "a-215s", "a 215", "a 215s", "pressed a215"),
    _d("pressed pill", "pressed_pill", "pressed pills", "pressies", "pressed tabs", "press pills",
       "pressed bars", "pressed xanax"),
    # --- other opioids ------------------------------------------------------------------------
    _d("heroin", "opioid", "heroine", "heroina", "heroïne", "diamorphine", "diacetylmorphine",
       "black tar", "black tar heroin", "afghan heroin", "brown heroin", "white heroin",
       "heroin #4", "heroin no 4", "smack", "#4 heroin", "east coast #4", "no. 4 heroin",
       "heroína", "героин", "heroina brown", "braunes heroin",
       ambiguous=("tar", "brown", "dope", "boy", "horse", "shore", "braunes", "caballo")),
    _d("oxycodone", "opioid", "oxyneo", "oxycodon", "oxicodona", "oxycodone hcl", "oxy", "oxys", "oxies",
       "oxy 30", "oxy30", "oxy 15", "oxy 10", "roxy", "roxys", "roxies", "roxicodone", "oxycontin",
       "oxycotin", "oxynorm", "percocet", "percocets", "percs", "endone", "targin", "xtampza"),
    _d("hydrocodone", "opioid", "norco", "norcos", "vicodin", "lortab", "hydros", "zohydro"),
    _d("hydromorphone", "opioid", "dilaudid", "dilaudids", "dillies", "palladone"),
    _d("oxymorphone", "opioid", "opana"),
    _d("morphine", "opioid", "morphin", "morfina", "morphine sulfate", "ms contin", "mscontin",
       "kadian", "sevredol"),
    _d("codeine", "opioid", "codein", "codeina", "promethazine codeine", "purple drank",
       "co-codamol", "tylenol 3", "tylenol #3", ambiguous=("lean",)),
    _d("tramadol", "opioid", "tramadol hcl", "tramal", "ultram", "tramadolum", "tradol",
       ambiguous=("trams",)),
    _d("tapentadol", "opioid", "nucynta", "palexia"),
    _d("dextropropoxyphene", "opioid", "propoxyphene", "darvocet", "darvon"),
    _d("methadone", "opioid", "methadon", "metadona", "dolophine", "physeptone"),
    _d("buprenorphine", "opioid", "subutex", "suboxone", "bupe", "sub strips",
       ambiguous=("subs",)),
    _d("opium", "opioid", "opium tar", "raw opium", "afyon"),
    _d("u-47700", "opioid", "u47700", "u-4", "u4"),
    _d("brorphine", "opioid"),
    _d("kratom", "opioid", "mitragynine", "mitragyna speciosa"),
    # --- stimulants ---------------------------------------------------------------------------
    _d("cocaine", "stimulant", "cocain", "cocaina", "kokain", "kokaine", "cocaine hcl", "coke",
       "fishscale", "fish scale", "peruvian flake", "bolivian flake", "colombian cocaine",
       "yayo", "cocaïne", "cocaína", "kokaina", "koks", "farlopa", "perico", "кокаин",
       ambiguous=("charlie", "blow", "snow", "flake", "yay", "schnee", "coca", "coco", "кокс")),
    _d("crack cocaine", "stimulant", "crack-cocaine", "freebase", "freebase cocaine",
       ambiguous=("crack", "rock", "rocks")),
    _d("methamphetamine", "stimulant", "meth", "methamfetamine", "metamfetamin", "methamphetamin",
       "metanfetamina", "crystal meth", "crystal-meth", "methamphetamine hcl", "d-meth", "dmeth",
       "shards", "yaba", "pervitin", "tina meth", "metanfetamina", "метамфетамин", "crystal-meth",
       ambiguous=("ice", "crystal", "glass", "tina", "crank", "shard")),
    _d("amphetamine", "stimulant", "amphetamines", "amfetamine", "amphetamin", "amfetamin",
       "amfetamina", "amphetamine sulfate", "amphetamine sulphate", "amphetamine paste",
       "speed paste", "base speed", "adderall", "adderal", "adderall xr", "adderall ir", "addies",
       "addys", "dexedrine", "dextroamphetamine", "dexamphetamine", "vyvanse",
       "lisdexamfetamine", "elvanse", "attentin",
       ambiguous=("speed", "pep", "addy", "paste")),
    _d("methylphenidate", "stimulant", "ritalin", "concerta", "medikinet", "focalin"),
    _d("modafinil", "stimulant", "armodafinil", "modalert", "modvigil", "provigil", "waklert",
       "artvigil", "nuvigil"),
    _d("phentermine", "stimulant", "duromine", "adipex"),
    _d("ephedrine", "stimulant", "pseudoephedrine", "sudafed"),
    _d("mephedrone", "stimulant", "4-mmc", "4mmc", "meow meow", "m-cat", "mcat"),
    _d("3-mmc", "stimulant", "3mmc", "metaphedrone"),
    _d("3-cmc", "stimulant", "3cmc", "clophedrone"),
    _d("alpha-pvp", "stimulant", "a-pvp", "apvp", "α-pvp", "flakka", "coca leaf", "coca leaves"),
    _d("mdpv", "stimulant", "methylenedioxypyrovalerone"),
    _d("n-ethylpentylone", "stimulant", "ephylone", "eutylone"),
    # --- empathogens --------------------------------------------------------------------------
    _d("mdma", "empathogen", "ecstasy", "ecstacy", "extasy", "xtc", "x-tc", "molly", "mdma crystal",
       "mdma crystals", "mdma pills", "xtc pills", "e-pills", "champagne mdma",
       "ecstasy-pillen", "xtc-pillen", "éxtasis", "extasis", "экстази", "mdma-kristalle",
       ambiguous=("mandy", "emma", "beans", "teile")),
    _d("mda", "empathogen", "sassafras", ambiguous=("sass",)),
    _d("methylone", "empathogen", "bk-mdma", "bkmdma", "dimethylone", "bk-mddma", "bk-dmbdb"),
    _d("6-apb", "empathogen", "benzofury"),
    _d("5-apb", "empathogen", "5apb"),
    _d("4-fa", "empathogen", "4-fluoroamphetamine", "4fa", "4-fmp", "4-fluoroamfetamine"),
    _d("ah-7921", "opioid", "ah7921", "doxylam"),
    _d("mt-45", "opioid", "mt45"),
    # --- cannabis -----------------------------------------------------------------------------
    _d("cannabis", "cannabis", "marijuana", "marihuana", "weed", "ganja", "kush", "og kush",
       "skunk", "sativa", "indica", "mary jane", "reefer", "nugs", "buds", "cannabis flower",
       "cali weed", "cali bud", "purple haze", "amnesia haze", "white widow", "northern lights",
       "girl scout cookies", "gorilla glue", "lemon haze", "super lemon haze", "super silver haze",
       "blue dream", "sour diesel", "jack herer", "skywalker og", "bubba kush", "granddaddy purple",
       "thai stick", "uk cheese", "blue cheese", "wedding cake", "runtz", "gelato strain", "green crack", "blue cheeze", "purple urkle", "purple kush", "grape ape", "ak-47", "ak47", "trainwreck", "pineapple express", "matanuska", "matanuska thunderfuck", "gdp", "super skunk", "critical kush", "og strain", "cannabis seeds", "female seeds", "feminized seeds", "feminised seeds", "autoflower seeds", "regular seeds", "pre-roll", "pre-rolls", "preroll", "prerolls",
       # widely sold strains
       "northern light", "jack herrer", "blueberry headband", "headband", "maui wowie", "maui waui", "afghani",
       "afghan kush", "bubbakush", "white rhino", "master kush", "hindu kush", "durban poison", "chemdawg",
       "chem dawg", "big bud", "acapulco gold", "panama red", "colombian gold", "lambs bread", "lamb's bread",
       "jack the ripper", "black cherry soda", "cheese strain", "dutch cheese", "bubblegum kush", "la confidential",
       "afwreck", "strawberry cough", "blue cheese", "chronic", "sensimilla", "sinsemilla",
       ambiguous=("bud", "haze", "grass", "herb", "pot", "trees", "flower", "flowers", "hybrid", "loud",
                  "gas", "joint", "joints", "za", "zaza", "indoor", "outdoor", "hydro", "midgrade", "mids", "dank",
                  "top shelf", "leaf", "cheese", "diesel", "blueberry", "jamaican", "sativa dominant", "gras", "wiet", "hierba", "maria", "мариуана")),
    _d("hashish", "cannabis", "hasj", "hasch", "haschisch", "charas", "kief", "kif",
       "dry sift", "dry-sift", "moroccan hash", "afghan hash", "lebanese hash", "ice-o-lator",
       "bubble hash", "temple ball", "temple balls", "ketama", "gold seal", "nepal hash", "pollen hash", "brown pollen", "sulu resin", "hash resin", "king hassan", ambiguous=("hash", "pollen", "slate")),
    _d("cannabis concentrate", "cannabis", "shatter", "bho", "rosin", "live resin", "distillate",
       "thc distillate", "thc oil", "cannabis oil", "hash oil", "rso", "rick simpson oil", "budder", "crumble",
       "dabs", "thc vape", "thc cart", "thc carts", "thc cartridge", "thc cartridges",
       ambiguous=("wax", "dab", "carts", "resin")),
    _d("cannabis edible", "cannabis", "edible", "edibles", "thc gummies", "thc gummy", "bhang bar", "bhang", "cheeba chew", "cheeba chews", "thcookies", "incredibles bar", "space cookies", "pot brownies",
       "cannabis edibles", "space cake", "space cakes", "thc chocolate", "weed brownies"),
    _d("thc", "cannabis", "delta-9-thc", "delta 9 thc", "delta-8-thc", "delta 8", "delta-8", "hhc"),
    _d("synthetic cannabinoid", "synthetic_cannabinoid", "synthetic cannabinoids", "am-2201", "am2201", "jwh-018", "jwh-210", "jwh-250", "ur-144", "5f-akb48", "ab-fubinaca", "5f-pb-22", "5f-pb22",
       "synthetic weed", "5f-adb", "5f-mdmb-pica", "mdmb-4en-pinaca", "4f-mdmb-binaca",
       "adb-butinaca", "jwh-018", "ab-fubinaca", "ab-chminaca", "5f-pb22", "5f-pb-22",
       "fub-amb", "mmb-2201", "ab-pinaca", "5f-ab-pinaca", "pb-22", "pb22", "fub-pb-22", "fub-pb22",
       "fdu-pb-22", "fdu-pb22", "5f-mn-18", "fab-144", "5f-sdb-006", "5f-akb48",
       ambiguous=("spice", "k2")),
    # --- benzodiazepines and sedatives --------------------------------------------------------
    _d("alprazolam", "benzodiazepine", "xanax", "xanex", "xanax bars", "xanax bar", "xannies",
       "xanies", "zannies", "zanies", "xans", "xan", "alprazolam bars", "alprax", "tafil",
       "xanor", "alp", "green bars", "yellow bars", "white bars", "blue bars", "school bus bars",
       "hulk bars", ambiguous=("bars", "bar", "sticks", "ladders")),
    _d("diazepam", "benzodiazepine", "valium", "valiums", "vallies", "diazepan", "diazepam tabs",
       "stesolid", "apaurin", "d10"),
    _d("clonazepam", "benzodiazepine", "klonopin", "klonopins", "rivotril", "k-pins", "kpins",
       "klonnies"),
    _d("lorazepam", "benzodiazepine", "ativan", "tavor"),
    _d("temazepam", "benzodiazepine", "restoril", "normison", "jellies"),
    _d("nitrazepam", "benzodiazepine", "mogadon"),
    _d("oxazepam", "benzodiazepine", "serax"),
    _d("bromazepam", "benzodiazepine", "lexotan", "lexomil"),
    _d("midazolam", "benzodiazepine", "dormicum"),
    _d("etizolam", "benzodiazepine", "etilaam", "etizest", "etizola", "etiz"),
    _d("flualprazolam", "benzodiazepine", "flualp"),
    _d("lormetazepam", "benzodiazepine", "noctamid"),
    _d("flurazepam", "benzodiazepine", "dalmane"),
    _d("flunitrazepam", "benzodiazepine", "rohypnol", "roofies", "roofie", "rohypnols"),
    _d("flubromazolam", "benzodiazepine"),
    _d("bromazolam", "benzodiazepine", "bromazolam bars"),
    _d("clonazolam", "benzodiazepine", ambiguous=("clam",)),
    _d("diclazepam", "benzodiazepine"),
    _d("flubromazepam", "benzodiazepine"),
    _d("zolpidem", "sedative", "ambien", "stilnox", "stilnoct"),
    _d("zopiclone", "sedative", "imovane", "zimovane", "eszopiclone", "lunesta"),
    _d("carisoprodol", "sedative", "soma", "somas", "carisoma"),
    # --- depressants --------------------------------------------------------------------------
    _d("ghb", "depressant", "gamma-hydroxybutyrate", "liquid ecstasy", "xyrem", "sodium oxybate"),
    _d("gbl", "depressant", "gamma-butyrolactone", "1,4-butanediol", "1,4-bd"),
    _d("barbiturate", "depressant", "barbiturates", "phenobarbital", "phenobarbitone",
       "pentobarbital", "nembutal", "secobarbital", "seconal", "butalbital", "fioricet"),
    # --- dissociatives ------------------------------------------------------------------------
    _d("ketamine", "dissociative", "ketamin", "ketamina", "ketamine hcl", "ket", "keta",
       "special k", "ketalar", "ketaset", "esketamine", "s-ketamine", "spravato", "ketamine crystals",
       ambiguous=("kitty", "vitamin k")),
    _d("2-fdck", "dissociative", "2f-dck", "2-fluorodeschloroketamine", "fluoroketamine"),
    _d("pcp", "dissociative", "phencyclidine", "angel dust"),
    _d("3-meo-pcp", "dissociative", "3meo-pcp", "3-meopcp"),
    _d("methoxetamine", "dissociative", "mxe"),
    _d("dxm", "dissociative", "dextromethorphan"),
    # --- psychedelics -------------------------------------------------------------------------
    _d("lsd", "psychedelic", "white fluff", "lsd-25", "lsd25", "lysergide", "lsd tabs", "lsd blotter",
       "lsd blotters", "liquid lsd", "blotters", "blotter", "gel tabs", "microdots",
       ambiguous=("acid", "lucy", "sheet")),
    _d("1p-lsd", "psychedelic", "1p lsd", "1cp-lsd", "1v-lsd", "1d-lsd", "al-lad", "eth-lad"),
    _d("psilocybin mushrooms", "psychedelic", "psilocybin", "psilocin", "magic mushrooms",
       "magic mushroom", "shrooms", "mushrooms", "mushroom", "psilocybe", "cubensis",
       "psilocybe cubensis", "golden teacher", "golden teachers", "penis envy", "b+ cubensis",
       "magic truffles", "mushroom chocolate", "shroom chocolate", "mushroom spores", "spore print", "spore prints", "spore syringe", "spore syringes", "p. cubensis",
       ambiguous=("truffles", "boomers")),
    _d("dmt", "psychedelic", "n,n-dmt", "nn-dmt", "dimethyltryptamine", "changa", "ayahuasca"),
    _d("5-meo-dmt", "psychedelic", "5meo-dmt", "5-meo", "5meo", "bufo"),
    _d("mescaline", "psychedelic", "peyote", "san pedro", "mescalin"),
    # short names that are everyday abbreviations too ("DOB" date of birth, "amt" amount) count only
    # beside a number or a unit
    _d("4-bromo-2,5-dimethoxyamphetamine", "psychedelic", ambiguous=("dob",)),
    _d("2,5-dimethoxy-4-methylamphetamine", "psychedelic", ambiguous=("dom", "stp")),
    _d("alpha-methyltryptamine", "psychedelic", "a-mt", ambiguous=("amt",)),
    _d("5-meo-mipt", "psychedelic"),
    _d("4-aco-dmt", "psychedelic", "psilacetin", "4-acetoxy-dmt"),
    _d("2c-b", "psychedelic", "2cb", "2-cb", "tusi", "tucibi", "pink cocaine",
       ambiguous=("nexus",)),
    _d("2c-i", "psychedelic", "2ci"),
    _d("2c-e", "psychedelic", "2ce"),
    _d("2c-c", "psychedelic", "2c-p", "2c-t-7", "2c-t-2", "2c-d"),
    _d("nbome", "psychedelic", "25i-nbome", "25c-nbome", "25b-nbome", "25i", "25c", "n-bomb", "nbomes",
       "25i-nbf"),
    _d("4-ho-mipt", "psychedelic", "4-ho-mipt fumarate", "miprocin"),
    _d("escaline", "psychedelic", "allylescaline", "methallylescaline", "proscaline"),
    _d("salvia", "psychedelic", "salvia divinorum", "salvinorin a"),
    _d("ibogaine", "psychedelic", "iboga"),
    _d("lsa", "psychedelic", "hawaiian baby woodrose", "morning glory seeds"),
    # --- steroids and performance -------------------------------------------------------------
    _d("testosterone", "steroid", "testosterone enanthate", "testosterone cypionate",
       "testosterone propionate", "test enanthate", "test cypionate", "test cyp", "test e",
       "test prop", "sustanon", "sustanon 250", "sust 250", "omnadren", "testoviron",
       ambiguous=("test c", "test p", "test-c", "test-p", "test-e")),
    _d("nandrolone", "steroid", "nandrolone decanoate", "deca durabolin", "deca-durabolin",
       "deca 300", "npp", ambiguous=("deca",)),
    _d("trenbolone", "steroid", "tren", "tren ace", "tren acetate", "tren e", "tren enanthate",
       "parabolan"),
    _d("methenolone", "steroid", "primobolan", ambiguous=("primo",)),
    _d("fluoxymesterone", "steroid", "halotestin", "halotestine"),
    _d("stanozolol", "steroid", "winstrol", "winny", "winni"),
    _d("oxandrolone", "steroid", "anavar", "oxandrin"),
    _d("methandrostenolone", "steroid", "methandienone", "dianabol", "dbol", "d-bol", "metanabol"),
    _d("oxymetholone", "steroid", "anadrol", "anapolon", "anadrol-50"),
    _d("boldenone", "steroid", "equipoise", "boldenone undecylenate"),
    _d("drostanolone", "steroid", "masteron", "mast e", "mast p"),
    _d("turinabol", "steroid", "oral turinabol", "tbol", "chlorodehydromethyltestosterone"),
    _d("clenbuterol", "steroid", "clen", "clenbuterol hcl"),
    _d("somatropin", "steroid", "hgh", "human growth hormone", "growth hormone", "genotropin",
       "norditropin"),
    _d("sarms", "steroid", "sarm", "ostarine", "ligandrol", "rad-140", "rad140", "mk-677", "mk677",
       "cardarine"),
    _d("anabolic steroid", "steroid", "anabolic steroids", "anabolics", ambiguous=("steroids", "roids", "gear")),
    # --- other prescription drugs -------------------------------------------------------------
    _d("gabapentin", "prescription", "neurontin", "gabbies", "gabapentine"),
    _d("pregabalin", "prescription", "lyrica", "pregabaline"),
    _d("sildenafil", "prescription", "viagra", "kamagra", "sildenafil citrate"),
    _d("tadalafil", "prescription", "cialis"),
    _d("vardenafil", "prescription", "levitra"),
    _d("avanafil", "prescription", "stendra"),
    _d("dapoxetine", "prescription", "priligy"),
    _d("promethazine", "prescription", "phenergan"),
    _d("fluoxetine", "prescription", "prozac"),
    _d("sertraline", "prescription", "zoloft"),
    _d("mirtazapine", "prescription", "mirtazapin", "remeron"),
    _d("hydroxyzine", "prescription", "atarax"),
    _d("propranolol", "prescription", "inderal"),
    _d("atomoxetine", "prescription", "strattera"),
    # anabolic ancillaries (post-cycle therapy): markets list them with steroids
    _d("tamoxifen", "steroid", "nolvadex"),
    _d("clomiphene", "steroid", "clomid", "clomifene"),
    _d("anastrozole", "steroid", "arimidex"),
    _d("letrozole", "steroid", "femara"),
    _d("finasteride", "prescription", "propecia"),
    _d("piracetam", "prescription", "nootropil", "noopept"),
    _d("quetiapine", "prescription", "seroquel"),
    _d("xylazine", "prescription", "tranq", "rompun"),
)


def by_name(entries: Iterable[DrugEntry] = DRUGS) -> dict[str, DrugEntry]:
    """Index entries by canonical name.

    >>> by_name()["fentanyl"].name
    'fentanyl'
    """
    return {e.name: e for e in entries}


def entries_from_dicts(rows: Iterable[dict[str, Any]]) -> list[DrugEntry]:
    """Rebuild entries from their ``to_dict`` form (a saved pipeline, a JSON lexicon file).

    >>> entries_from_dicts([{"name": "fentanyl", "class": "fentanyl", "terms": ["fent"]}])[0].terms
    ('fent',)
    """
    out = []
    for row in rows:
        entry = DrugEntry.from_dict(row)
        if entry.drug_class not in DRUG_CLASSES:
            raise ValueError(f"drug {entry.name!r}: unknown class {entry.drug_class!r}; use one of {DRUG_CLASSES}")
        out.append(entry)
    return out
