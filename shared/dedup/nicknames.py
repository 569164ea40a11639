"""Short forms and nicknames of first names (Finnish, Swedish, English): a second name key.

Each group is one name as people go by it: Matti for Matias, Jussi for Juhani, Kalle for Karl.
`nickname_key` gives a group's first spelling for any member (folded, lower case), the name
itself otherwise; two first names with the same key agree at the `nickname` level, a little
less than an exact match. A name in two groups (Jukka is short for Juhani, and Jussi too) keys
to the first group it appears in, so a group lists the longer forms it serves.
"""

from __future__ import annotations

_GROUPS = """
matias matti mattias matt mats
juhani juha jussi juho jukka
johannes hannes jussi juha
katariina katja kati kaija kaisa katri katarina karin kajsa kate katie kathy catherine katherine kathryn
karl kalle kaarle kaarlo carl charles charlie chuck
aleksanteri aleksi aki ale alex alexander aleksander sasha sakke
mikael mikko mika micke michael mike mikke mick
william bill billy will willy wilhelm ville vili
robert bob bobby rob robin robban
richard rick ricky dick rikhard riku
elisabet elisabeth elizabeth liisa liisi eliisa elsa lisa liz beth betty
margareta marketta maarit reeta meeri maggie margaret peggy greta
kristiina kirsi kirsti kiti kristina stina tiina christina
henrik heikki henkka henrikki henry hank hessu
tapani tapio tapsa tapsu
markus marko make markku mark
johanna jonna hanna hanne joanna
susanna sanna susanne susan sue suvi
antero antti ante anders andreas andrew andy
petteri petri pete pekka peter petter
tuomas tommi tomi tom thomas tomas tommy
jaakko jaska jacob jakob jake
yrjo jori jyrki george georg göran goran
kaarina karoliina karo carolina caroline carol
eerik erkki eero erik eric
""".strip().splitlines()


def _table() -> dict[str, str]:
    table: dict[str, str] = {}
    for line in _GROUPS:
        names = line.split()
        for name in names:
            table.setdefault(name.replace("ö", "o").replace("ä", "a"), names[0].replace("ö", "o"))
    return table


NICKNAMES = _table()


def nickname_key(folded_first: str) -> str:
    """The group's key of a folded first name ('matti' -> 'matias'); the name itself otherwise."""
    return NICKNAMES.get(folded_first, folded_first)
