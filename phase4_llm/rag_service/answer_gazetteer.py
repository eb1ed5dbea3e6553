"""Two small word lists that stand in for a named-entity tagger (none ships offline): well-known
places (countries, large cities, regions) and common given names. They only nudge a span's
type: "London" is a poor answer to "which bank", "Anne Borthwick" a good one to "who"."""

from __future__ import annotations

_COUNTRIES = """
Afghanistan Albania Algeria Andorra Angola Argentina Armenia Australia Austria Azerbaijan
Bahamas Bahrain Bangladesh Barbados Belarus Belgium Belize Benin Bhutan Bolivia Bosnia
Botswana Brazil Brunei Bulgaria Burma Burundi Cambodia Cameroon Canada Chad Chile China
Colombia Congo Croatia Cuba Cyprus Czech Denmark Djibouti Dominica Ecuador Egypt Eritrea
Estonia Ethiopia Fiji Finland France Gabon Gambia Georgia Germany Ghana Greece Grenada
Guatemala Guinea Guyana Haiti Honduras Hungary Iceland India Indonesia Iran Iraq Ireland
Israel Italy Jamaica Japan Jordan Kazakhstan Kenya Korea Kosovo Kuwait Kyrgyzstan Laos Latvia
Lebanon Lesotho Liberia Libya Liechtenstein Lithuania Luxembourg Macedonia Madagascar Malawi
Malaysia Maldives Mali Malta Mauritania Mauritius Mexico Moldova Monaco Mongolia Montenegro
Morocco Mozambique Myanmar Namibia Nepal Netherlands Holland Nicaragua Niger Nigeria Norway
Oman Pakistan Palestine Panama Paraguay Peru Philippines Poland Portugal Qatar Romania Russia
Rwanda Samoa Senegal Serbia Seychelles Singapore Slovakia Slovenia Somalia Spain Sudan
Suriname Swaziland Sweden Switzerland Syria Taiwan Tajikistan Tanzania Thailand Togo Tonga
Trinidad Tunisia Turkey Turkmenistan Uganda Ukraine Uruguay Uzbekistan Vanuatu Venezuela
Vietnam Yemen Zambia Zimbabwe Britain England Scotland Wales UK US USA America Europe Asia
Africa
"""

_MULTI_WORD = [
    "Hong Kong",
    "New York",
    "Los Angeles",
    "San Francisco",
    "Las Vegas",
    "New Delhi",
    "Buenos Aires",
    "Rio de Janeiro",
    "Sao Paulo",
    "Mexico City",
    "Cape Town",
    "Tel Aviv",
    "Abu Dhabi",
    "Kuala Lumpur",
    "New Zealand",
    "South Africa",
    "South Korea",
    "North Korea",
    "Northern Ireland",
    "Saudi Arabia",
    "Sri Lanka",
    "Costa Rica",
    "El Salvador",
    "Ivory Coast",
    "Sierra Leone",
    "Czech Republic",
    "Dominican Republic",
    "United States",
    "United Kingdom",
    "Great Britain",
    "Silicon Valley",
    "Wall Street",
    "Middle East",
    "Latin America",
    "North America",
    "South America",
    "East Anglia",
    "West Midlands",
    "East Midlands",
    "New Orleans",
    "New Jersey",
    "New Mexico",
    "North Carolina",
    "South Carolina",
    "West Virginia",
    "Downing Street",
    "Washington DC",
]

_CITIES_REGIONS = """
London Paris Berlin Madrid Rome Milan Turin Naples Venice Florence Lisbon Porto Barcelona
Seville Valencia Amsterdam Rotterdam Brussels Antwerp Vienna Zurich Geneva Bern Munich
Frankfurt Hamburg Cologne Stuttgart Dusseldorf Dortmund Prague Warsaw Krakow Budapest
Bucharest Sofia Athens Istanbul Ankara Moscow Kiev Kyiv Minsk Riga Tallinn Vilnius Helsinki
Stockholm Oslo Copenhagen Dublin Belfast Cork Edinburgh Glasgow Aberdeen Dundee Cardiff
Swansea Manchester Liverpool Leeds Sheffield Birmingham Bristol Newcastle Nottingham Leicester
Coventry Southampton Portsmouth Brighton Oxford Cambridge York Hull Bradford Sunderland
Middlesbrough Plymouth Norwich Derby Reading Bath Exeter Westminster Whitehall
Tokyo Osaka Kyoto Beijing Shanghai Shenzhen Guangzhou Seoul Taipei Bangkok Hanoi Jakarta
Manila Mumbai Bombay Delhi Calcutta Kolkata Bangalore Chennai Karachi Lahore Islamabad Kabul
Tehran Baghdad Basra Damascus Beirut Jerusalem Cairo Riyadh Dubai Doha Nairobi Lagos Accra
Johannesburg Durban Harare Sydney Melbourne Brisbane Perth Adelaide Auckland Wellington
Toronto Montreal Vancouver Ottawa Chicago Boston Washington Philadelphia Atlanta Miami Dallas
Houston Seattle Detroit Denver Phoenix Hollywood Cannes Monaco Davos Kent Surrey Essex Sussex
Yorkshire Lancashire Devon Cornwall Cumbria Norfolk Suffolk Somerset Dorset Hampshire
Merseyside Ulster California Texas Florida Ohio Michigan Illinois Virginia
Massachusetts Georgia Alaska Hawaii Bavaria Catalonia Siberia Chechnya Darfur Gaza Kashmir
Tibet Scandinavia Balkans Caribbean
"""

PLACES = frozenset(_COUNTRIES.split()) | frozenset(_CITIES_REGIONS.split()) | frozenset(_MULTI_WORD)

_GIVEN = """
Aaron Adam Adrian Alan Alastair Albert Alex Alexander Alfred Alistair Andrew Andy Angus Anthony
Antonio Arnold Arthur Barry Ben Benjamin Bernard Bill Billy Bob Brendan Brian Bruce Carl Carlos
Charles Charlie Chris Christian Christopher Clive Colin Craig Dan Daniel Danny Darren Dave
David Dean Denis Dennis Derek Dominic Don Donald Douglas Duncan Eddie Edward Eric Frank
Fred Gary Gavin Geoff Geoffrey George Gerald Gerry Gordon Graeme Graham Greg Gregory Harold
Harry Henry Howard Hugh Ian Jack Jacques James Jamie Jason Jean Jeff Jeremy Jerry Jim Jimmy Joe
Joel John Johnny Jon Jonathan Jose Joseph Juan Justin Keith Ken Kenneth Kevin Kieran Larry
Lee Len Leo Leon Lewis Liam Luke Malcolm Marc Marcus Mario Mark Martin Matt Matthew Max
Michael Mick Mike Neil Nicholas Nick Nigel Noel Oliver Owen Patrick Paul Pete Peter Phil
Philip Pierre Ralph Ray Raymond Richard Rick Rob Robert Robbie Robin Rod Roger Ronald Ronnie
Ross Roy Russell Ryan Sam Samuel Scott Sean Sebastian Simon Stan Stanley Stephen Steve Steven
Stuart Ted Terry Thomas Tim Timothy Tom Tommy Tony Trevor Victor Vincent Walter Wayne William
Willie Abigail Alice Alison Amanda Amy Andrea Angela Ann Anna Anne Barbara Beth Betty Brenda
Carol Caroline Catherine Charlotte Cheryl Christine Claire Clare Diana Diane Donna Dorothy
Elaine Elizabeth Ellen Emily Emma Fiona Frances Gillian Hannah Harriet Helen Hilary Holly
Jackie Jacqueline Jane Janet Jennifer Jenny Jessica Jill Joan Joanna Jo Josephine Judith Judy
Julia Julie Karen Kate Katherine Kathy Kelly Kim Laura Lauren Linda Lisa Liz Louise Lucy
Lynn Margaret Maria Marie Mary Melanie Michelle Nancy Natalie Nicola Nicole Olivia Pamela
Patricia Paula Pauline Rachel Rebecca Rose Ruth Sally Samantha Sandra Sarah Sharon Sheila
Sophie Stephanie Sue Susan Tessa Theresa Tracey Valerie Victoria Wendy Yvonne
"""
GIVEN_NAMES = frozenset(_GIVEN.split())


def is_place(text: str) -> bool:
    """Whether `text` is a listed place ("Hong Kong", "London")."""
    return text in PLACES


def starts_with_given_name(text: str) -> bool:
    """Whether `text` reads as a person's name: a listed given name and at least a surname."""
    words = text.split()
    return len(words) >= 2 and words[0] in GIVEN_NAMES
