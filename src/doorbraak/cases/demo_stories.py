"""Demoverhalen: negen casussen uit de tabel 'The stories it must handle' (product.md).

Pure data, geen code. De situaties zijn in eigen woorden naverteld uit de bronteksten
(OPaZ, Thuis in Zuidoost, Leeuwarden, HLT, Eigen Kracht Centrale). Alle personen zijn
verzonnen. Alleen twee personen hebben een BSN; dat zijn testnummers uit de reeks
999xxxxxx die de elfproef doorstaan. Alle andere BSN's zijn leeg.

Planregels: totaal = amount_cents x quantity x duration. Bij eenheid "each" is
quantity het aantal en duration 1; bij tijdseenheden is duration het aantal eenheden.
Bedragen met een catalogue_code komen uit budget/catalogue_data.py.
"""

STORIES: list[dict] = [
    # ------------------------------------------------------------------
    # 1. NS-jaarabonnement ('s-Hertogenbosch)
    # ------------------------------------------------------------------
    {
        "key": "train_pass",
        "title": "Jaarabonnement trein in plaats van boetes",
        "area": "Zuidoost",
        "question": (
            "Ik heb belangrijke gesprekken in het hele land. Ik wil met de trein kunnen "
            "reizen zonder dat ik steeds word aangehouden en opgesloten."
        ),
        "tried": (
            "Boetes en aanmaningen, zes keer een casusoverleg met zes professionals, "
            "behandeling door de GGZ (volgens de behandelaars is de waan niet verder te "
            "behandelen) en uiteindelijk detentie. Niets hield het reizen zonder kaartje tegen."
        ),
        "members": [
            {
                "first_name": "Gerrit",
                "last_name": "Verhoef",
                "date_of_birth": "1968-03-14",
                "bsn": "",
                "relation": "main",
            },
        ],
        "domains": [
            {"domain": "finances", "score": 2},
            {"domain": "daytime", "score": 3},
            {"domain": "housing", "score": 4},
            {"domain": "domestic_relations", "score": 4},
            {"domain": "mental_health", "score": 2},
            {"domain": "physical_health", "score": 4},
            {"domain": "addiction", "score": 5},
            {"domain": "adl", "score": 4},
            {"domain": "social_network", "score": 3},
            {"domain": "community_participation", "score": 3},
            {"domain": "justice", "score": 1},
        ],
        "funders": ["justice", "wmo", "zvw"],
        "platform": {
            "first_problem": "Ik word steeds uit de trein gehaald en krijg boetes die ik niet kan betalen.",
            "client_present": True,
            "experience_expert_present": True,
            "participants": [
                {"organisation": "Sociaal wijkteam", "role": "doorbraakregisseur (voorzitter)"},
                {"organisation": "GGZ-instelling", "role": "behandelaar"},
                {"organisation": "Reclassering", "role": "reclasseringswerker"},
                {"organisation": "Politie", "role": "wijkagent"},
                {"organisation": "Gemeente, team Wmo", "role": "Wmo-consulent"},
                {"organisation": "Klankbordgroep ervaringsdeskundigen", "role": "ervaringsdeskundige"},
            ],
            "actions": [
                {
                    "what": "NS-jaarabonnement op naam aanvragen en met meneer ophalen",
                    "owner_organisation": "Sociaal wijkteam",
                    "days_after_meeting": 2,
                    "done": True,
                },
                {
                    "what": "Nagaan of openstaande boetes kunnen worden omgezet of kwijtgescholden",
                    "owner_organisation": "Reclassering",
                    "days_after_meeting": 7,
                    "done": True,
                },
                {
                    "what": "Wijkagent informeren over de afspraak, zonder medische details",
                    "owner_organisation": "Politie",
                    "days_after_meeting": 5,
                    "done": True,
                },
                {
                    "what": "Elke twee weken even bellen hoe het reizen gaat",
                    "owner_organisation": "GGZ-instelling",
                    "days_after_meeting": 14,
                    "done": True,
                },
                {
                    "what": "Na drie maanden evalueren: zijn er nog boetes of aanhoudingen?",
                    "owner_organisation": "Sociaal wijkteam",
                    "days_after_meeting": 90,
                    "done": False,
                },
            ],
            "decisions": [
                {
                    "text": (
                        "De doorbraakregisseur koopt een NS-jaarabonnement van € 3.000 uit het "
                        "persoonsvolgend budget; dat valt binnen het mandaat."
                    ),
                    "by_lead": True,
                },
                {
                    "text": (
                        "De gemeente betaalt, maar de besparing op detentie komt bij justitie "
                        "terecht. Dit gaat als systeembarrière naar de beleidstafel."
                    ),
                    "by_lead": False,
                },
            ],
            "breakthrough": "Meneer reist met een eigen abonnement; er komen geen nieuwe boetes en geen detentie meer.",
            "days_to_breakthrough": 9,
            "solution_kind": "rule_exception",
            "evaluation": {
                "helped": (
                    "Iedereen zat aan één tafel, met meneer erbij. De oplossing past bij zijn "
                    "leven in plaats van nog meer behandeling die niet helpt."
                ),
                "blocked": (
                    "Niemand was eigenaar van het geheel. De besparing valt bij justitie en de "
                    "kosten bij de gemeente, dus niemand voelde zich geroepen om te betalen."
                ),
                "blocker_tags": ["funder_unclear", "unclear_funding"],
                "client_satisfaction": 9,
                "professional_satisfaction": 8,
            },
        },
        "plan": {
            "horizon_years": 1,
            "do_nothing": {
                "outcome": (
                    "Hij blijft zonder kaartje reizen, krijgt meer boetes en zit opnieuw vast, "
                    "zonder enig perspectief. Het overleg over hem gaat door."
                ),
                "lines": [
                    {
                        "catalogue_code": "detention_year_case_example",
                        "description": "Detentie, een jaar",
                        "unit": "year",
                        "amount_cents": 5000000,
                        "quantity": 1,
                        "duration": 1,
                        "funder": "justice",
                    },
                    {
                        "catalogue_code": "case_meeting_six_professionals",
                        "description": "Casusoverleg met zes professionals",
                        "unit": "each",
                        "amount_cents": 150000,
                        "quantity": 6,
                        "duration": 1,
                        "funder": "wmo",
                    },
                ],
            },
            "regular": {
                "outcome": (
                    "Meer begeleiding en behandeling. De waan verandert niet, dus de boetes gaan "
                    "door en hij zit een deel van het jaar vast."
                ),
                "lines": [
                    {
                        "catalogue_code": "wmo_guidance_individual_plus_hour",
                        "description": "Individuele begeleiding plus, 2 uur per week",
                        "unit": "hour",
                        "amount_cents": 8520,
                        "quantity": 1,
                        "duration": 104,
                        "funder": "wmo",
                    },
                    {
                        "catalogue_code": "specialised_ggz_contact_institution",
                        "description": "Contacten gespecialiseerde GGZ",
                        "unit": "each",
                        "amount_cents": 13400,
                        "quantity": 12,
                        "duration": 1,
                        "funder": "zvw",
                    },
                    {
                        "catalogue_code": "detention_year_case_example",
                        "description": "Detentie, een half jaar",
                        "unit": "year",
                        "amount_cents": 5000000,
                        "quantity": 0.5,
                        "duration": 1,
                        "funder": "justice",
                    },
                    {
                        "catalogue_code": "case_meeting_six_professionals",
                        "description": "Casusoverleg met zes professionals",
                        "unit": "each",
                        "amount_cents": 150000,
                        "quantity": 4,
                        "duration": 1,
                        "funder": "wmo",
                    },
                ],
            },
            "custom": {
                "outcome": (
                    "Hij reist met een geldig abonnement. Geen boetes en geen detentie meer; "
                    "lichte begeleiding houdt contact."
                ),
                "lines": [
                    {
                        "catalogue_code": "ns_annual_pass",
                        "description": "NS-jaarabonnement",
                        "unit": "year",
                        "amount_cents": 300000,
                        "quantity": 1,
                        "duration": 1,
                        "funder": "wmo",
                    },
                    {
                        "catalogue_code": "case_meeting_six_professionals",
                        "description": "Eén doorbraaktafel",
                        "unit": "each",
                        "amount_cents": 150000,
                        "quantity": 1,
                        "duration": 1,
                        "funder": "wmo",
                    },
                    {
                        "catalogue_code": "wmo_guidance_individual_basic_hour",
                        "description": "Lichte begeleiding, 1 uur per twee weken",
                        "unit": "hour",
                        "amount_cents": 5580,
                        "quantity": 1,
                        "duration": 26,
                        "funder": "wmo",
                    },
                ],
            },
            "justification_legality": (
                "De Wmo 2015 laat de gemeente een maatwerkvoorziening kiezen die iemand helpt "
                "zelfstandig mee te doen; vervoer hoort daarbij. Het abonnement is een passend en "
                "goedkoper middel. De afwijking van het gewone aanbod is vastgelegd en uitlegbaar."
            ),
            "justification_return": (
                "Niets doen kost ongeveer € 59.000 per jaar, vooral detentie bij justitie. Het "
                "maatwerkplan kost ongeveer € 6.000. De gemeente betaalt, justitie bespaart."
            ),
            "justification_engagement": (
                "Meneer koos zelf voor het abonnement en tekende het plan mee. Wijkteam, GGZ en "
                "reclassering blijven betrokken en kijken na drie maanden samen terug."
            ),
            # Nazorg: what it really cost so far (budget/demo.py records it up to today).
            "realised": [
                {
                    "funder": "wmo",
                    "amount_cents": 465000,
                    "note": "NS-jaarabonnement, de doorbraaktafel en de eerste uren begeleiding",
                },
            ],
        },
        # Nazorg (cases/demo.py load_follow_up): elke vier weken een evaluatie in de eerste drie maanden
        # na de doorbraak, plus losse momenten. Dagen tellen vanaf de doorbraak (in de demo 21 dagen geleden).
        "follow_up": {
            "extra_moments": [
                {"days_after_breakthrough": 7, "measurement": 1},  # gehouden met de tweede meting
                {"days_after_breakthrough": 14},  # niet gehouden: te laat
            ],
            "measurements": [
                {
                    "days_after_breakthrough": 0,
                    "participation_step": 2,
                    "client_satisfaction": 7,
                    "professional_satisfaction": 7,
                    "note": "Nulmeting bij de doorbraak.",
                },
                {
                    "days_after_breakthrough": 7,
                    "participation_step": 3,
                    "client_satisfaction": 9,
                    "professional_satisfaction": 8,
                    "note": "Reist met het abonnement naar zijn gesprekken; geen nieuwe boetes.",
                    "scores": {"justice": 3, "finances": 3},
                },
            ],
        },
        "loan": None,
    },
    # ------------------------------------------------------------------
    # 2. Auto op lening (Leeuwarden)
    # ------------------------------------------------------------------
    {
        "key": "car_loan",
        "title": "Auto op lening om bij een nieuwe baan te komen",
        "area": "Oost",
        "question": (
            "Ik kan een baan krijgen in de zorg, maar het werk is buiten de stad en in "
            "wisselende diensten. Met de bus kom ik er niet. Hoe kom ik daar zonder auto?"
        ),
        "tried": (
            "Reisplanner en openbaar vervoer bekeken: de vroege en late diensten zijn niet "
            "bereikbaar. Vast meerijden met collega's lukt niet. Zelf een auto kopen kan niet "
            "van een uitkering."
        ),
        "members": [
            {
                "first_name": "Sandra",
                "last_name": "Bakker",
                "date_of_birth": "1986-09-02",
                "bsn": "999911016",
                "relation": "main",
            },
            {
                "first_name": "Mila",
                "last_name": "Bakker",
                "date_of_birth": "2014-05-20",
                "bsn": "",
                "relation": "child",
            },
        ],
        "domains": [
            {"domain": "finances", "score": 2},
            {"domain": "daytime", "score": 2},
            {"domain": "housing", "score": 4},
            {"domain": "domestic_relations", "score": 4},
            {"domain": "mental_health", "score": 4},
            {"domain": "physical_health", "score": 4},
            {"domain": "addiction", "score": 5},
            {"domain": "adl", "score": 5},
            {"domain": "social_network", "score": 3},
            {"domain": "community_participation", "score": 3},
            {"domain": "justice", "score": 5},
        ],
        "funders": ["participatiewet"],
        "platform": None,
        "plan": {
            "horizon_years": 2,
            "do_nothing": {
                "outcome": "Ze blijft in de bijstand. De baan gaat naar iemand anders.",
                "lines": [
                    {
                        "catalogue_code": "social_assistance_single_month",
                        "description": "Bijstandsuitkering",
                        "unit": "month",
                        "amount_cents": 130845,
                        "quantity": 1,
                        "duration": 24,
                        "funder": "participatiewet",
                    },
                ],
            },
            "regular": {
                "outcome": (
                    "Re-integratiegesprekken gericht op werk dichterbij. De kans op zo'n baan is "
                    "klein, dus de uitkering loopt door."
                ),
                "lines": [
                    {
                        "catalogue_code": "social_assistance_single_month",
                        "description": "Bijstandsuitkering",
                        "unit": "month",
                        "amount_cents": 130845,
                        "quantity": 1,
                        "duration": 24,
                        "funder": "participatiewet",
                    },
                    {
                        "catalogue_code": "social_work_contact",
                        "description": "Re-integratiegesprekken (prijs van een contact maatschappelijk werk)",
                        "unit": "each",
                        "amount_cents": 12700,
                        "quantity": 12,
                        "duration": 1,
                        "funder": "participatiewet",
                    },
                ],
            },
            "custom": {
                "outcome": (
                    "Met de auto neemt ze de baan aan. Na de eerste maand is geen uitkering meer "
                    "nodig. De auto is een lening die zij terugbetaalt."
                ),
                "lines": [
                    {
                        "catalogue_code": "used_car",
                        "description": "Gebruikte auto, verstrekt als voorwaardelijke lening",
                        "unit": "each",
                        "amount_cents": 800000,
                        "quantity": 1,
                        "duration": 1,
                        "funder": "participatiewet",
                    },
                    {
                        "catalogue_code": "social_assistance_single_month",
                        "description": "Bijstand tot het eerste salaris",
                        "unit": "month",
                        "amount_cents": 130845,
                        "quantity": 1,
                        "duration": 1,
                        "funder": "participatiewet",
                    },
                    {
                        "catalogue_code": "car_travel_km",
                        "description": "Brandstof en slijtage, ongeveer 15.000 km in twee jaar (betaalt zij zelf)",
                        "unit": "each",
                        "amount_cents": 26,
                        "quantity": 15000,
                        "duration": 1,
                        "funder": "household",
                    },
                ],
            },
            "justification_legality": (
                "De Participatiewet laat de gemeente voorzieningen inzetten die iemand aan het "
                "werk helpen. De auto is verstrekt als lening met heldere voorwaarden, zodat het "
                "geld terugkomt. De afspraken staan op papier en zijn door haar getekend."
            ),
            "justification_return": (
                "Niets doen kost in twee jaar ongeveer € 31.400 aan uitkering. Met de auto stopt "
                "de uitkering na één maand. De lening komt terug, dus het rendement is de "
                "bespaarde uitkering."
            ),
            "justification_engagement": (
                "Mevrouw vond de baan zelf en koos voor de voorwaarden van de lening. Het "
                "wijkteam loopt de eerste zes maanden met haar mee."
            ),
        },
        "loan": {
            "amount_cents": 800000,
            "condition": (
                "Lening voor de aankoop van een auto. Heeft zij de baan na zes maanden nog, dan "
                "lost zij het openstaande bedrag daarna af vanuit haar salaris. Verliest zij de "
                "baan binnen zes maanden door eigen schuld, dan betaalt zij het hele bedrag "
                "in één keer terug."
            ),
            "months": 6,
        },
    },
    # ------------------------------------------------------------------
    # 3. Sportschool als zorgaanbieder (Leeuwarden)
    # ------------------------------------------------------------------
    {
        "key": "gym",
        "title": "Sportschool als hulpverlener",
        "area": "Noord",
        "question": (
            "Ik ben klaar met hulpverleners. Ik wil gewoon trainen bij mensen die snappen hoe "
            "het is, en weer grip krijgen op mijn leven."
        ),
        "tried": (
            "Ambulante begeleiding en eerder jeugdhulp; afspraken werden afgezegd of niet "
            "nagekomen. Hij wilde geen nieuwe hulpverlener meer zien."
        ),
        "members": [
            {
                "first_name": "Jesse",
                "last_name": "de Boer",
                "date_of_birth": "2005-11-23",
                "bsn": "",
                "relation": "main",
            },
            {
                "first_name": "Anja",
                "last_name": "de Boer",
                "date_of_birth": "1976-02-08",
                "bsn": "",
                "relation": "other",
            },
        ],
        "domains": [
            {"domain": "finances", "score": 2},
            {"domain": "daytime", "score": 1},
            {"domain": "housing", "score": 3},
            {"domain": "domestic_relations", "score": 2},
            {"domain": "mental_health", "score": 3},
            {"domain": "physical_health", "score": 4},
            {"domain": "addiction", "score": 3},
            {"domain": "adl", "score": 4},
            {"domain": "social_network", "score": 2},
            {"domain": "community_participation", "score": 2},
            {"domain": "justice", "score": 2},
        ],
        "funders": ["wmo", "participatiewet", "justice"],
        "platform": None,
        "plan": {
            "horizon_years": 1,
            "do_nothing": {
                "outcome": (
                    "Hij zit thuis zonder ritme en komt in aanraking met de politie. Nieuwe "
                    "delicten en crisiscontacten liggen op de loer."
                ),
                "lines": [
                    {
                        "catalogue_code": "offence_public_order",
                        "description": "Delicten tegen de openbare orde",
                        "unit": "each",
                        "amount_cents": 360500,
                        "quantity": 2,
                        "duration": 1,
                        "funder": "justice",
                    },
                    {
                        "catalogue_code": "police_officer_hour",
                        "description": "Inzet politie",
                        "unit": "hour",
                        "amount_cents": 7000,
                        "quantity": 1,
                        "duration": 20,
                        "funder": "justice",
                    },
                    {
                        "catalogue_code": "specialised_ggz_contact_institution",
                        "description": "Crisiscontacten GGZ",
                        "unit": "each",
                        "amount_cents": 13400,
                        "quantity": 6,
                        "duration": 1,
                        "funder": "zvw",
                    },
                ],
            },
            "regular": {
                "outcome": ("Gecontracteerde individuele begeleiding. Hij komt niet opdagen, dus er verandert weinig."),
                "lines": [
                    {
                        "catalogue_code": "wmo_guidance_individual_plus_hour",
                        "description": "Individuele begeleiding plus, 2 uur per week",
                        "unit": "hour",
                        "amount_cents": 8520,
                        "quantity": 1,
                        "duration": 104,
                        "funder": "wmo",
                    },
                    {
                        "catalogue_code": "offence_public_order",
                        "description": "Delict tegen de openbare orde",
                        "unit": "each",
                        "amount_cents": 360500,
                        "quantity": 1,
                        "duration": 1,
                        "funder": "justice",
                    },
                    {
                        "catalogue_code": "police_officer_hour",
                        "description": "Inzet politie",
                        "unit": "hour",
                        "amount_cents": 7000,
                        "quantity": 1,
                        "duration": 10,
                        "funder": "justice",
                    },
                ],
            },
            "custom": {
                "outcome": (
                    "Hij traint drie keer per week bij de sportschool en krijgt daar coaching "
                    "van ondernemers die het zelf hebben meegemaakt. Ritme en discipline komen terug."
                ),
                "lines": [
                    {
                        "catalogue_code": "gym_coaching_month",
                        "description": "Begeleiding via de sportschool, scherp tarief",
                        "unit": "month",
                        "amount_cents": 30000,
                        "quantity": 1,
                        "duration": 12,
                        "funder": "wmo",
                    },
                ],
            },
            "justification_legality": (
                "De sportschool was nog geen gecontracteerde zorgaanbieder. Het resultaatvolgend "
                "budget mocht de hulp toch betalen, tegen een scherp tarief in een korte "
                "overeenkomst. Inmiddels is de sportschool gecontracteerd."
            ),
            "justification_return": (
                "Niets doen kost bijna € 9.500 aan politie, justitie en crisiszorg; het gewone "
                "aanbod ruim € 13.000. De sportschool kost € 3.600 per jaar."
            ),
            "justification_engagement": (
                "Jesse koos de sportschool zelf. Hij vertrouwt de ondernemers omdat ze "
                "ervaringsdeskundig zijn. Het wijkteam houdt op afstand contact."
            ),
        },
        "loan": None,
    },
    # ------------------------------------------------------------------
    # 4. Behandeling buiten de verzekering (Leeuwarden)
    # ------------------------------------------------------------------
    {
        "key": "treatment",
        "title": "Behandeling betaald, van uitkering naar opleiding",
        "area": "Centrum",
        "question": (
            "Er is een nieuwe behandeling waarna ik geen zorg meer nodig heb. Mijn "
            "verzekering betaalt het niet en ik kan het zelf niet betalen. Dan blijf ik ziek thuis."
        ),
        "tried": (
            "Vergoeding gevraagd bij de zorgverzekeraar: afgewezen. Bijzondere bijstand bekeken: "
            "past niet. De gewone behandeling helpt steeds maar even."
        ),
        "members": [
            {
                "first_name": "Marloes",
                "last_name": "Hoekstra",
                "date_of_birth": "1990-06-17",
                "bsn": "",
                "relation": "main",
            },
        ],
        "domains": [
            {"domain": "finances", "score": 2},
            {"domain": "daytime", "score": 2},
            {"domain": "housing", "score": 4},
            {"domain": "domestic_relations", "score": 4},
            {"domain": "mental_health", "score": 3},
            {"domain": "physical_health", "score": 2},
            {"domain": "addiction", "score": 5},
            {"domain": "adl", "score": 4},
            {"domain": "social_network", "score": 3},
            {"domain": "community_participation", "score": 2},
            {"domain": "justice", "score": 5},
        ],
        "funders": ["participatiewet", "zvw"],
        "platform": None,
        "plan": {
            "horizon_years": 3,
            "do_nothing": {
                "outcome": "Ze blijft ziek, kan niet werken of studeren en blijft in de bijstand.",
                "lines": [
                    {
                        "catalogue_code": "social_assistance_single_month",
                        "description": "Bijstandsuitkering",
                        "unit": "month",
                        "amount_cents": 130845,
                        "quantity": 1,
                        "duration": 36,
                        "funder": "participatiewet",
                    },
                    {
                        "catalogue_code": "gp_consult",
                        "description": "Consulten huisarts",
                        "unit": "each",
                        "amount_cents": 3087,
                        "quantity": 24,
                        "duration": 1,
                        "funder": "zvw",
                    },
                    {
                        "catalogue_code": "emergency_department_visit",
                        "description": "Bezoeken spoedeisende hulp",
                        "unit": "each",
                        "amount_cents": 25800,
                        "quantity": 3,
                        "duration": 1,
                        "funder": "zvw",
                    },
                ],
            },
            "regular": {
                "outcome": (
                    "De vergoede behandeling gaat door, maar de klachten komen steeds terug. Ze blijft in de bijstand."
                ),
                "lines": [
                    {
                        "catalogue_code": "social_assistance_single_month",
                        "description": "Bijstandsuitkering",
                        "unit": "month",
                        "amount_cents": 130845,
                        "quantity": 1,
                        "duration": 36,
                        "funder": "participatiewet",
                    },
                    {
                        "catalogue_code": "gp_consult",
                        "description": "Consulten huisarts",
                        "unit": "each",
                        "amount_cents": 3087,
                        "quantity": 24,
                        "duration": 1,
                        "funder": "zvw",
                    },
                    {
                        "catalogue_code": "hospital_day",
                        "description": "Korte ziekenhuisopnames",
                        "unit": "day",
                        "amount_cents": 64400,
                        "quantity": 1,
                        "duration": 6,
                        "funder": "zvw",
                    },
                ],
            },
            "custom": {
                "outcome": (
                    "Het budget betaalt de behandeling. Die slaagt, er is geen vervolg nodig. Ze "
                    "begint een opleiding en stopt met de uitkering."
                ),
                "lines": [
                    {
                        "catalogue_code": "uncovered_treatment",
                        "description": "Behandeling die de verzekeraar niet vergoedt",
                        "unit": "each",
                        "amount_cents": 450000,
                        "quantity": 1,
                        "duration": 1,
                        "funder": "participatiewet",
                    },
                    {
                        "catalogue_code": "social_assistance_single_month",
                        "description": "Bijstand tijdens herstel, tot de opleiding begint",
                        "unit": "month",
                        "amount_cents": 130845,
                        "quantity": 1,
                        "duration": 6,
                        "funder": "participatiewet",
                    },
                    {
                        "catalogue_code": "gp_consult",
                        "description": "Controles huisarts",
                        "unit": "each",
                        "amount_cents": 3087,
                        "quantity": 4,
                        "duration": 1,
                        "funder": "zvw",
                    },
                ],
            },
            "justification_legality": (
                "Het budget betaalt niet in plaats van de verzekeraar, maar als investering in "
                "re-integratie: het doel is dat zij uit de bijstand komt. De afwijzing van de "
                "verzekeraar en het besluit zitten in het dossier."
            ),
            "justification_return": (
                "Niets doen kost in drie jaar ongeveer € 48.600, vooral aan uitkering. Het "
                "maatwerkplan kost ongeveer € 12.500."
            ),
            "justification_engagement": (
                "Mevrouw vond de behandeling zelf en koos haar opleiding. Ze spreekt maandelijks "
                "af met het wijkteam zolang de behandeling loopt."
            ),
        },
        "loan": None,
    },
    # ------------------------------------------------------------------
    # 5. Verhoogde plantenbakken (HLT)
    # ------------------------------------------------------------------
    {
        "key": "flower_beds",
        "title": "Plantenbakken in eigen tuin in plaats van dagbesteding ver weg",
        "area": "Dorpskern",
        "question": (
            "Ik heb maar anderhalf uur per dag energie. Daar ga ik niet een half uur voor in "
            "een busje zitten. Ik wil gewoon in mijn eigen tuin bezig zijn."
        ),
        "tried": (
            "Een beschikking voor dagbesteding op een half uur reizen, met vervoer, om meer te "
            "bewegen. Na de reis was zijn energie op; hij ging steeds minder vaak."
        ),
        "members": [
            {
                "first_name": "Henk",
                "last_name": "van Dijk",
                "date_of_birth": "1955-04-09",
                "bsn": "",
                "relation": "main",
            },
            {
                "first_name": "Riet",
                "last_name": "van Dijk",
                "date_of_birth": "1957-12-01",
                "bsn": "",
                "relation": "partner",
            },
        ],
        "domains": [
            {"domain": "finances", "score": 4},
            {"domain": "daytime", "score": 2},
            {"domain": "housing", "score": 4},
            {"domain": "domestic_relations", "score": 4},
            {"domain": "mental_health", "score": 3},
            {"domain": "physical_health", "score": 2},
            {"domain": "addiction", "score": 5},
            {"domain": "adl", "score": 3},
            {"domain": "social_network", "score": 3},
            {"domain": "community_participation", "score": 2},
            {"domain": "justice", "score": 5},
        ],
        "funders": ["wmo", "zvw"],
        "platform": {
            "first_problem": "Ik zit de hele dag binnen en kan niets meer met mijn tuin.",
            "client_present": False,
            "experience_expert_present": False,
            "participants": [
                {"organisation": "Gemeente", "role": "ontschotter (voorzitter)"},
                {"organisation": "Gemeente, team Wmo", "role": "Wmo-consulent"},
                {"organisation": "MEE", "role": "cliëntondersteuner"},
                {"organisation": "Dagbestedingsaanbieder", "role": "begeleider dagbesteding"},
                {"organisation": "Fysiotherapiepraktijk", "role": "fysiotherapeut"},
            ],
            "actions": [
                {
                    "what": "Met meneer en zijn vrouw bespreken wat hij in de tuin wil doen",
                    "owner_organisation": "MEE",
                    "days_after_meeting": 3,
                    "done": True,
                },
                {
                    "what": "Offerte opvragen voor verhoogde plantenbakken op rolstoelhoogte",
                    "owner_organisation": "Gemeente, team Wmo",
                    "days_after_meeting": 7,
                    "done": True,
                },
                {
                    "what": "Advies geven over een goede werkhoogte vanuit de rolstoel",
                    "owner_organisation": "Fysiotherapiepraktijk",
                    "days_after_meeting": 7,
                    "done": True,
                },
                {
                    "what": "Dagbesteding en vervoer netjes afmelden",
                    "owner_organisation": "Dagbestedingsaanbieder",
                    "days_after_meeting": 14,
                    "done": True,
                },
                {
                    "what": "Na drie maanden langsgaan en vragen hoe het gaat",
                    "owner_organisation": "MEE",
                    "days_after_meeting": 90,
                    "done": False,
                },
            ],
            "decisions": [
                {
                    "text": (
                        "De ontschotter besluit de plantenbakken als dagbesteding te betalen. Het "
                        "besluit geldt voor deze situatie en de reden staat erbij."
                    ),
                    "by_lead": True,
                },
                {
                    "text": (
                        "De vrees dat iedereen dit gaat aanvragen is geen reden om te weigeren; "
                        "elke aanvraag wordt op zichzelf bekeken."
                    ),
                    "by_lead": False,
                },
            ],
            "breakthrough": "Meneer werkt vanuit zijn rolstoel in zijn eigen tuin; de dagbesteding ver weg is gestopt.",
            "days_to_breakthrough": 18,
            "solution_kind": "daytime",
            "evaluation": {
                "helped": (
                    "Beginnen bij wat meneer zelf wil. MEE en de fysiotherapeut kenden zijn "
                    "tuin en wisten hoeveel energie hij heeft."
                ),
                "blocked": (
                    "De gemeente was bang voor navolging en hield vast aan het gewone aanbod. "
                    "De dagbesteding paste niet bij zijn energie, maar dat werd niet gehoord."
                ),
                "blocker_tags": ["pinching_rules", "not_heard", "imposed_goals"],
                "client_satisfaction": 9,
                "professional_satisfaction": 8,
            },
        },
        "plan": {
            "horizon_years": 2,
            "do_nothing": {
                "outcome": ("Hij zit binnen, beweegt niet en gaat achteruit. Er is steeds meer hulp thuis nodig."),
                "lines": [
                    {
                        "catalogue_code": "personal_care_hour",
                        "description": "Persoonlijke verzorging, 1 uur per week",
                        "unit": "hour",
                        "amount_cents": 5758,
                        "quantity": 1,
                        "duration": 104,
                        "funder": "zvw",
                    },
                    {
                        "catalogue_code": "wmo_domestic_help_hour",
                        "description": "Hulp bij het huishouden, 1 uur per week",
                        "unit": "hour",
                        "amount_cents": 3240,
                        "quantity": 1,
                        "duration": 104,
                        "funder": "wmo",
                    },
                    {
                        "catalogue_code": "gp_home_visit",
                        "description": "Visites huisarts",
                        "unit": "each",
                        "amount_cents": 4331,
                        "quantity": 8,
                        "duration": 1,
                        "funder": "zvw",
                    },
                ],
            },
            "regular": {
                "outcome": (
                    "Twee dagdelen per week dagbesteding met taxivervoer. Hij komt uitgeput thuis en haakt af."
                ),
                "lines": [
                    {
                        "catalogue_code": "wmo_day_activity_medium_half_day",
                        "description": "Dagbesteding midden, 2 dagdelen per week",
                        "unit": "each",
                        "amount_cents": 4615,
                        "quantity": 208,
                        "duration": 1,
                        "funder": "wmo",
                    },
                    {
                        "catalogue_code": "taxi_wmo_start",
                        "description": "Wmo-vervoer, starttarief heen en terug",
                        "unit": "each",
                        "amount_cents": 336,
                        "quantity": 416,
                        "duration": 1,
                        "funder": "wmo",
                    },
                    {
                        "catalogue_code": "taxi_wmo_km",
                        "description": "Wmo-vervoer, 15 km per rit",
                        "unit": "each",
                        "amount_cents": 247,
                        "quantity": 6240,
                        "duration": 1,
                        "funder": "wmo",
                    },
                    {
                        "catalogue_code": "personal_care_hour",
                        "description": "Persoonlijke verzorging, 1 uur per twee weken",
                        "unit": "hour",
                        "amount_cents": 5758,
                        "quantity": 1,
                        "duration": 52,
                        "funder": "zvw",
                    },
                ],
            },
            "custom": {
                "outcome": (
                    "Verhoogde plantenbakken in zijn eigen tuin. Hij werkt er elke dag even en "
                    "krijgt af en toe begeleiding."
                ),
                "lines": [
                    {
                        "catalogue_code": "raised_flower_beds",
                        "description": "Verhoogde plantenbakken op rolstoelhoogte",
                        "unit": "each",
                        "amount_cents": 150000,
                        "quantity": 1,
                        "duration": 1,
                        "funder": "wmo",
                    },
                    {
                        "catalogue_code": "wmo_guidance_individual_basic_hour",
                        "description": "Begeleiding, 1 uur per maand",
                        "unit": "hour",
                        "amount_cents": 5580,
                        "quantity": 1,
                        "duration": 24,
                        "funder": "wmo",
                    },
                ],
            },
            "justification_legality": (
                "Dagbesteding onder de Wmo 2015 moet passen bij wat iemand nodig heeft om mee te "
                "doen. Voor meneer doen de bakken dat beter dan een groep ver weg. Het besluit is "
                "als maatwerk vastgelegd."
            ),
            "justification_return": (
                "Het gewone aanbod kost in twee jaar ongeveer € 29.400, vooral aan vervoer. De "
                "bakken en wat begeleiding kosten ongeveer € 2.800."
            ),
            "justification_engagement": (
                "Meneer en zijn vrouw bedachten het zelf. De fysiotherapeut hielp met de juiste "
                "hoogte, zodat hij er vanuit zijn rolstoel bij kan."
            ),
        },
        "loan": None,
    },
    # ------------------------------------------------------------------
    # 6. Eén maand huur garant (HLT)
    # ------------------------------------------------------------------
    {
        "key": "rent_guarantee",
        "title": "Eén maand huur garant voor een nieuwe kamer",
        "area": "West",
        "question": (
            "Ik moet uit mijn kamer en niemand wil mij een nieuwe kamer geven, want ik heb "
            "schulden. Ik wil niet op straat belanden."
        ),
        "tried": (
            "Zelf kamers gezocht; verhuurders vroegen een borg of garantie. Een aanvraag bij "
            "het noodfonds voor een garantstelling werd afgewezen, omdat een kamer geen "
            "zelfstandige woonruimte is."
        ),
        "members": [
            {
                "first_name": "Lisa",
                "last_name": "Mulder",
                "date_of_birth": "2002-08-30",
                "bsn": "",
                "relation": "main",
            },
        ],
        "domains": [
            {"domain": "finances", "score": 1},
            {"domain": "daytime", "score": 3},
            {"domain": "housing", "score": 1},
            {"domain": "domestic_relations", "score": 3},
            {"domain": "mental_health", "score": 3},
            {"domain": "physical_health", "score": 4},
            {"domain": "addiction", "score": 4},
            {"domain": "adl", "score": 4},
            {"domain": "social_network", "score": 3},
            {"domain": "community_participation", "score": 3},
            {"domain": "justice", "score": 5},
        ],
        "funders": ["participatiewet", "wmo"],
        "platform": {
            "first_problem": "Over drie weken heb ik geen dak meer boven mijn hoofd.",
            "client_present": True,
            "experience_expert_present": False,
            "participants": [
                {"organisation": "Gemeente", "role": "ontschotter (voorzitter)"},
                {"organisation": "Sociaal team", "role": "consulent"},
                {"organisation": "Noodfonds", "role": "beoordelaar garantstellingen"},
                {"organisation": "Schuldhulpverlening gemeente", "role": "schuldhulpverlener"},
                {"organisation": "MEE", "role": "cliëntondersteuner"},
            ],
            "actions": [
                {
                    "what": "Garantstelling van één maand huur schriftelijk bevestigen aan de verhuurder",
                    "owner_organisation": "Gemeente",
                    "days_after_meeting": 1,
                    "done": True,
                },
                {
                    "what": "Mee naar de bezichtiging en samen het huurcontract lezen",
                    "owner_organisation": "MEE",
                    "days_after_meeting": 4,
                    "done": True,
                },
                {
                    "what": "Aanmelding schuldhulpverlening met voorrang oppakken",
                    "owner_organisation": "Schuldhulpverlening gemeente",
                    "days_after_meeting": 5,
                    "done": True,
                },
                {
                    "what": "Afwijzing door het noodfonds melden als systeembarrière",
                    "owner_organisation": "Gemeente",
                    "days_after_meeting": 14,
                    "done": True,
                },
                {
                    "what": "Na drie maanden nagaan of de huur op tijd wordt betaald",
                    "owner_organisation": "Sociaal team",
                    "days_after_meeting": 90,
                    "done": False,
                },
            ],
            "decisions": [
                {
                    "text": (
                        "Het noodfonds blijft bij de afwijzing: de regeling geldt alleen voor "
                        "zelfstandige woonruimte, en een kamer valt daar niet onder. Dit wordt "
                        "vastgelegd als systeembarrière."
                    ),
                    "by_lead": False,
                },
                {
                    "text": (
                        "De ontschotter staat uit het handgeld garant voor één maand huur "
                        "(€ 450), zodat de nieuwe kamer doorgaat."
                    ),
                    "by_lead": True,
                },
            ],
            "breakthrough": "Lisa heeft een nieuwe kamer en is begonnen met schuldhulpverlening.",
            "days_to_breakthrough": 6,
            "solution_kind": "housing",
            "evaluation": {
                "helped": (
                    "Snel schakelen: de garantie stond binnen een dag op papier. Iedereen die "
                    "een stukje van het probleem kende, zat aan tafel."
                ),
                "blocked": (
                    "De regel van het noodfonds sluit kamers uit, terwijl juist jongeren met een "
                    "laag inkomen op kamers wonen."
                ),
                "blocker_tags": ["pinching_rules", "rules_clash"],
                "client_satisfaction": 8,
                "professional_satisfaction": 8,
            },
        },
        "plan": {
            "horizon_years": 1,
            "do_nothing": {
                "outcome": ("Ze raakt haar kamer kwijt, slaapt bij kennissen of in de opvang en de schulden groeien."),
                "lines": [
                    {
                        "catalogue_code": "emergency_shelter_night",
                        "description": "Maatschappelijke opvang, ongeveer vier maanden",
                        "unit": "night",
                        "amount_cents": 9000,
                        "quantity": 1,
                        "duration": 120,
                        "funder": "wmo",
                    },
                    {
                        "catalogue_code": "social_work_contact",
                        "description": "Contacten maatschappelijk werk",
                        "unit": "each",
                        "amount_cents": 12700,
                        "quantity": 10,
                        "duration": 1,
                        "funder": "wmo",
                    },
                ],
            },
            "regular": {
                "outcome": (
                    "Het noodfonds weigert. Ze komt via de opvang en een wachtlijst later in de schuldhulpverlening."
                ),
                "lines": [
                    {
                        "catalogue_code": "emergency_shelter_night",
                        "description": "Maatschappelijke opvang, ongeveer twee maanden",
                        "unit": "night",
                        "amount_cents": 9000,
                        "quantity": 1,
                        "duration": 60,
                        "funder": "wmo",
                    },
                    {
                        "catalogue_code": "wmo_request_clarification",
                        "description": "Vraagverheldering",
                        "unit": "each",
                        "amount_cents": 139444,
                        "quantity": 1,
                        "duration": 1,
                        "funder": "wmo",
                    },
                    {
                        "catalogue_code": "debt_counselling_trajectory",
                        "description": "Schuldhulpverlening",
                        "unit": "each",
                        "amount_cents": 254000,
                        "quantity": 1,
                        "duration": 1,
                        "funder": "participatiewet",
                    },
                ],
            },
            "custom": {
                "outcome": (
                    "Eén maand huur garant. Ze houdt een dak boven haar hoofd en begint meteen met schuldhulp."
                ),
                "lines": [
                    {
                        "catalogue_code": "room_rent_month",
                        "description": "Garantstelling één maand huur (alleen betaald als zij de huur niet betaalt)",
                        "unit": "month",
                        "amount_cents": 45000,
                        "quantity": 1,
                        "duration": 1,
                        "funder": "participatiewet",
                    },
                    {
                        "catalogue_code": "debt_counselling_trajectory",
                        "description": "Schuldhulpverlening",
                        "unit": "each",
                        "amount_cents": 254000,
                        "quantity": 1,
                        "duration": 1,
                        "funder": "participatiewet",
                    },
                ],
            },
            "justification_legality": (
                "Het noodfonds is niet bedoeld voor kamers, maar de ontschotter mag uit het "
                "handgeld van de gemeente garant staan. De garantie is eenmalig, beperkt tot één "
                "maand huur en schriftelijk vastgelegd."
            ),
            "justification_return": (
                "Vier maanden opvang kost ongeveer € 10.800. De garantie kost hooguit € 450, en "
                "alleen als de huur niet wordt betaald."
            ),
            "justification_engagement": (
                "Lisa vond de kamer zelf en zat aan tafel. Ze werkt mee aan de schuldhulp; MEE blijft haar steunen."
            ),
        },
        "loan": None,
    },
    # ------------------------------------------------------------------
    # 7. Hulphond (HLT)
    # ------------------------------------------------------------------
    {
        "key": "assistance_dog",
        "title": "Hulphond in plaats van verpleeghuis",
        "area": "Buitengebied",
        "question": (
            "Ik wil thuis blijven wonen. Maar als ik val, kan ik niemand bellen. Ik ben bang dat "
            "ik dan uren op de grond lig."
        ),
        "tried": (
            "Een alarmknop om de hals (na een val kan hij die vaak niet indrukken), extra "
            "thuiszorg, en een aanmelding voor het verpleeghuis."
        ),
        "members": [
            {
                "first_name": "Bert",
                "last_name": "Kuipers",
                "date_of_birth": "1963-01-27",
                "bsn": "999911028",
                "relation": "main",
            },
        ],
        "domains": [
            {"domain": "finances", "score": 4},
            {"domain": "daytime", "score": 3},
            {"domain": "housing", "score": 3},
            {"domain": "domestic_relations", "score": 4},
            {"domain": "mental_health", "score": 3},
            {"domain": "physical_health", "score": 1},
            {"domain": "addiction", "score": 5},
            {"domain": "adl", "score": 2},
            {"domain": "social_network", "score": 3},
            {"domain": "community_participation", "score": 3},
            {"domain": "justice", "score": 5},
        ],
        "funders": ["wmo", "zvw", "wlz"],
        "platform": {
            "first_problem": "Als ik val, kan ik geen hulp halen.",
            "client_present": True,
            "experience_expert_present": False,
            "participants": [
                {"organisation": "Gemeente", "role": "ontschotter (voorzitter)"},
                {"organisation": "Fysiotherapiepraktijk", "role": "fysiotherapeut"},
                {"organisation": "Wijkverpleging", "role": "wijkverpleegkundige"},
                {"organisation": "Gemeente, team Wmo", "role": "Wmo-consulent"},
                {"organisation": "Hulphondenorganisatie", "role": "trainer"},
            ],
            "actions": [
                {
                    "what": "Contact leggen met een hulphondenorganisatie en een intake plannen",
                    "owner_organisation": "Fysiotherapiepraktijk",
                    "days_after_meeting": 5,
                    "done": True,
                },
                {
                    "what": "Bij de zorgverzekeraar nagaan of de hulphond onder hulpmiddelenzorg valt",
                    "owner_organisation": "Wijkverpleging",
                    "days_after_meeting": 10,
                    "done": True,
                },
                {
                    "what": "Opleiding van de hond voorfinancieren tot de vergoeding rond is",
                    "owner_organisation": "Gemeente",
                    "days_after_meeting": 14,
                    "done": True,
                },
                {
                    "what": "Aanmelding verpleeghuis aanhouden",
                    "owner_organisation": "Wijkverpleging",
                    "days_after_meeting": 14,
                    "done": True,
                },
                {
                    "what": "Alarmknop op hondhoogte laten plaatsen",
                    "owner_organisation": "Gemeente, team Wmo",
                    "days_after_meeting": 60,
                    "done": False,
                },
            ],
            "decisions": [
                {
                    "text": (
                        "Op voorstel van de fysiotherapeut wordt een hulphond ingezet die bij een "
                        "val een alarmknop indrukt; meneer wil dat graag."
                    ),
                    "by_lead": False,
                },
                {
                    "text": (
                        "De ontschotter financiert de opleiding van de hond voor; de kosten worden "
                        "daarna bij de reguliere financier ingediend."
                    ),
                    "by_lead": True,
                },
                {
                    "text": "Tot de hond er is, komt de wijkverpleging twee keer per dag langs.",
                    "by_lead": False,
                },
            ],
            "breakthrough": "Er is een hulphond gevonden die nu wordt opgeleid; de verhuizing naar het verpleeghuis is van tafel.",
            "days_to_breakthrough": 20,
            "solution_kind": "care",
            "evaluation": {
                "helped": ("Een idee van buiten het eigen vak: de fysiotherapeut wist dat meneer van honden houdt."),
                "blocked": (
                    "Niemand wist wie een hulphond moet betalen; het verpleeghuis was de enige route die vaststond."
                ),
                "blocker_tags": ["funder_unclear", "unclear_funding"],
                "client_satisfaction": 10,
                "professional_satisfaction": 9,
            },
        },
        "plan": {
            "horizon_years": 3,
            "do_nothing": {
                "outcome": (
                    "Hij woont alleen thuis zonder hulp bij een val. Elke val betekent ambulance, "
                    "spoedeisende hulp en soms opname."
                ),
                "lines": [
                    {
                        "catalogue_code": "ambulance_ride_urgent",
                        "description": "Spoedritten ambulance na een val",
                        "unit": "each",
                        "amount_cents": 65700,
                        "quantity": 12,
                        "duration": 1,
                        "funder": "zvw",
                    },
                    {
                        "catalogue_code": "emergency_department_visit",
                        "description": "Bezoeken spoedeisende hulp",
                        "unit": "each",
                        "amount_cents": 25800,
                        "quantity": 12,
                        "duration": 1,
                        "funder": "zvw",
                    },
                    {
                        "catalogue_code": "hospital_day",
                        "description": "Opnamedagen ziekenhuis",
                        "unit": "day",
                        "amount_cents": 64400,
                        "quantity": 1,
                        "duration": 30,
                        "funder": "zvw",
                    },
                    {
                        "catalogue_code": "personal_care_hour",
                        "description": "Persoonlijke verzorging, 1 uur per dag",
                        "unit": "hour",
                        "amount_cents": 5758,
                        "quantity": 1,
                        "duration": 1095,
                        "funder": "zvw",
                    },
                ],
            },
            "regular": {
                "outcome": "Opname in een verpleeghuis via de Wlz.",
                "lines": [
                    {
                        "catalogue_code": "nursing_home_wlz_year",
                        "description": "Verpleeghuis",
                        "unit": "year",
                        "amount_cents": 10293000,
                        "quantity": 1,
                        "duration": 3,
                        "funder": "wlz",
                    },
                ],
            },
            "custom": {
                "outcome": (
                    "Hij blijft thuis wonen met een hulphond die bij een val alarm slaat, en "
                    "krijgt elke dag verzorging."
                ),
                "lines": [
                    {
                        "catalogue_code": "assistance_dog",
                        "description": "Hulphond, voorgefinancierd door de gemeente; vergoeding aangevraagd bij de verzekeraar",
                        "unit": "each",
                        "amount_cents": 2500000,
                        "quantity": 1,
                        "duration": 1,
                        "funder": "wmo",
                    },
                    {
                        "catalogue_code": "personal_care_hour",
                        "description": "Persoonlijke verzorging, 1 uur per dag",
                        "unit": "hour",
                        "amount_cents": 5758,
                        "quantity": 1,
                        "duration": 1095,
                        "funder": "zvw",
                    },
                ],
            },
            "justification_legality": (
                "Het plan volgt de wens van meneer om thuis te blijven. De hulphond is een "
                "hulpmiddel; wie uiteindelijk betaalt, verzekeraar of gemeente, wordt na de "
                "voorfinanciering geregeld en vastgelegd."
            ),
            "justification_return": (
                "Het verpleeghuis kost in drie jaar ongeveer € 309.000 (Wlz). Thuis met een "
                "hulphond en verzorging kost ongeveer € 88.000."
            ),
            "justification_engagement": (
                "Meneer houdt van honden en zorgt zelf voor de hond. Buren helpen met uitlaten op slechte dagen."
            ),
        },
        "loan": None,
    },
    # ------------------------------------------------------------------
    # 8. Netwerkplan met vluchtroutes (Eigen Kracht)
    # ------------------------------------------------------------------
    {
        "key": "family_plan",
        "title": "Eigen plan van het netwerk met vluchtroutes",
        # Nazorg: de afspraak van de tafel (elke vier weken, de eerste drie maanden) wordt het evaluatieschema;
        # een nagesprek na een week is gehouden, dat na twee weken nog niet (te laat).
        "follow_up": {
            "extra_moments": [
                {"days_after_breakthrough": 7, "measurement": 1},
                {"days_after_breakthrough": 14},
            ],
            "measurements": [
                {
                    "days_after_breakthrough": 0,
                    "participation_step": 2,
                    "client_satisfaction": 6,
                    "professional_satisfaction": 6,
                    "note": "Nulmeting: het plan is net gemaakt.",
                },
                {
                    "days_after_breakthrough": 7,
                    "participation_step": 3,
                    "client_satisfaction": 8,
                    "professional_satisfaction": 7,
                    "note": "Het is thuis niet meer misgegaan; Daan weet wie hij kan bellen.",
                    "scores": {"domestic_relations": 3, "mental_health": 3, "social_network": 4},
                },
            ],
        },
        "area": "Zuid",
        "question": (
            "We willen zelf met familie en vrienden afspreken hoe het thuis veilig blijft, "
            "zonder dat de kinderen uit huis moeten."
        ),
        "tried": ("Jeugdbescherming met adviezen voor training en therapie. Thuis bleef de spanning steeds oplopen."),
        "members": [
            {
                "first_name": "Yvonne",
                "last_name": "Smit",
                "date_of_birth": "1984-10-11",
                "bsn": "",
                "relation": "main",
            },
            {
                "first_name": "Daan",
                "last_name": "Smit",
                "date_of_birth": "2009-03-05",
                "bsn": "",
                "relation": "child",
            },
            {
                "first_name": "Noor",
                "last_name": "Smit",
                "date_of_birth": "2013-07-19",
                "bsn": "",
                "relation": "child",
            },
            {
                "first_name": "Sem",
                "last_name": "Smit",
                "date_of_birth": "2016-12-02",
                "bsn": "",
                "relation": "child",
            },
        ],
        "domains": [
            {"domain": "finances", "score": 3},
            {"domain": "daytime", "score": 3},
            {"domain": "housing", "score": 4},
            {"domain": "domestic_relations", "score": 1},
            {"domain": "mental_health", "score": 2},
            {"domain": "physical_health", "score": 4},
            {"domain": "addiction", "score": 4},
            {"domain": "adl", "score": 4},
            {"domain": "social_network", "score": 3},
            {"domain": "community_participation", "score": 3},
            {"domain": "justice", "score": 3},
        ],
        "funders": ["jeugdwet", "wmo"],
        "platform": {
            "first_problem": "Als het thuis uit de hand loopt, weet niemand waar hij heen moet.",
            "client_present": True,
            "experience_expert_present": False,
            "participants": [
                {"organisation": "Jeugdbescherming (gecertificeerde instelling)", "role": "jeugdbeschermer"},
                {"organisation": "Eigen Kracht Centrale", "role": "onafhankelijk coördinator"},
                {"organisation": "Sociaal wijkteam", "role": "gezinscoach"},
                {"organisation": "Netwerk van het gezin", "role": "familie, buren en vrienden"},
            ],
            "actions": [
                {
                    "what": "Telefoonnummers van buren en vrienden op een kaartje voor de oudste zoon zetten",
                    "owner_organisation": "Netwerk van het gezin",
                    "days_after_meeting": 1,
                    "done": True,
                },
                {
                    "what": "Noodnummers en het adres van de vriendin vastleggen voor moeder",
                    "owner_organisation": "Netwerk van het gezin",
                    "days_after_meeting": 1,
                    "done": True,
                },
                {
                    "what": "De drie evaluaties plannen en alle betrokkenen uitnodigen",
                    "owner_organisation": "Sociaal wijkteam",
                    "days_after_meeting": 3,
                    "done": True,
                },
                {
                    "what": "Informatie over training en therapie opnieuw aanbieden, zonder verplichting",
                    "owner_organisation": "Jeugdbescherming (gecertificeerde instelling)",
                    "days_after_meeting": 28,
                    "done": False,
                },
            ],
            "decisions": [
                {
                    "text": (
                        "Wordt het thuis te gespannen, dan kan Daan terecht bij de buren of bij "
                        "vrienden een paar straten verder. Is daar niemand, dan belt hij een van drie vaste nummers."
                    ),
                    "by_lead": False,
                },
                {
                    "text": "Moeder heeft twee noodnummers en kan terecht bij een vriendin.",
                    "by_lead": False,
                },
                {
                    "text": "De vriend van moeder komt niet op bezoek als de kinderen thuis zijn.",
                    "by_lead": False,
                },
                {
                    "text": ("Alle betrokkenen evalueren samen elke vier weken, gedurende de eerste drie maanden."),
                    "by_lead": False,
                },
                {
                    "text": (
                        "De jeugdbeschermer keurt het plan goed: het voldoet aan de veiligheidseisen "
                        "die hij vooraf stelde. Training en therapie blijven een wens die in de "
                        "evaluaties terugkomt."
                    ),
                    "by_lead": False,
                },
            ],
            "breakthrough": "Moeder en zoon hebben allebei een vluchtroute; sinds het plan is het thuis niet meer misgegaan.",
            "days_to_breakthrough": 28,
            "solution_kind": "network",
            "evaluation": {
                "helped": (
                    "Het netwerk maakte zijn eigen plan. Omdat iedereen wist wie je kon bellen of "
                    "waar je heen kon, liep het niet meer uit de hand."
                ),
                "blocked": (
                    "De jeugdbeschermer twijfelde omdat er geen professionele hulp in het plan "
                    "stond; zijn wensen dreigden eisen te worden."
                ),
                "blocker_tags": ["imposed_goals"],
                "client_satisfaction": 8,
                "professional_satisfaction": 7,
            },
        },
        "plan": {
            "horizon_years": 1,
            "do_nothing": {
                "outcome": "De spanning loopt verder op en de oudste zoon wordt uit huis geplaatst.",
                "lines": [
                    {
                        "catalogue_code": "youth_residential_care_year",
                        "description": "Verblijf in de jeugdhulp, een jaar",
                        "unit": "year",
                        "amount_cents": 5706000,
                        "quantity": 1,
                        "duration": 1,
                        "funder": "jeugdwet",
                    },
                    {
                        "catalogue_code": "case_meeting_six_professionals",
                        "description": "Casusoverleg met zes professionals",
                        "unit": "each",
                        "amount_cents": 150000,
                        "quantity": 4,
                        "duration": 1,
                        "funder": "jeugdwet",
                    },
                ],
            },
            "regular": {
                "outcome": (
                    "Ambulante jeugdhulp en een opgelegde training voor moeder. Het gezin haakt "
                    "af en de oudste logeert geregeld elders."
                ),
                "lines": [
                    {
                        "catalogue_code": "home_guidance_hour",
                        "description": "Ambulante begeleiding thuis, 3 uur per week",
                        "unit": "hour",
                        "amount_cents": 6400,
                        "quantity": 1,
                        "duration": 156,
                        "funder": "jeugdwet",
                    },
                    {
                        "catalogue_code": "social_work_contact",
                        "description": "Contacten maatschappelijk werk voor moeder",
                        "unit": "each",
                        "amount_cents": 12700,
                        "quantity": 10,
                        "duration": 1,
                        "funder": "wmo",
                    },
                    {
                        "catalogue_code": "youth_respite_day",
                        "description": "Logeeropvang oudste zoon",
                        "unit": "day",
                        "amount_cents": 15633,
                        "quantity": 1,
                        "duration": 30,
                        "funder": "jeugdwet",
                    },
                ],
            },
            "custom": {
                "outcome": (
                    "Een Eigen Kracht-conferentie: het netwerk maakt een veiligheidsplan met "
                    "vluchtroutes, met elke vier weken een evaluatie."
                ),
                "lines": [
                    {
                        "catalogue_code": "family_group_conference",
                        "description": "Coördinatie Eigen Kracht-conferentie",
                        "unit": "each",
                        "amount_cents": 250000,
                        "quantity": 1,
                        "duration": 1,
                        "funder": "jeugdwet",
                    },
                    {
                        "catalogue_code": "social_work_contact",
                        "description": "Drie evaluatiemomenten met alle betrokkenen",
                        "unit": "each",
                        "amount_cents": 12700,
                        "quantity": 3,
                        "duration": 1,
                        "funder": "jeugdwet",
                    },
                ],
            },
            "justification_legality": (
                "De Jeugdwet geeft ouders de kans om eerst met hun netwerk zelf een plan te maken "
                "(familiegroepsplan). De jeugdbeschermer toetst dat plan aan de veiligheidseisen "
                "die hij vooraf heeft gesteld."
            ),
            "justification_return": (
                "Een uithuisplaatsing kost ongeveer € 57.000 per jaar. De conferentie en de "
                "evaluaties kosten ongeveer € 2.900."
            ),
            "justification_engagement": (
                "Het plan is van het gezin en hun netwerk. Moeder en de oudste zoon bedachten zelf hun vluchtroute."
            ),
        },
        "loan": None,
    },
    # ------------------------------------------------------------------
    # 9. Doorbraaktafel ('s-Hertogenbosch)
    # ------------------------------------------------------------------
    {
        "key": "breakthrough_table",
        "title": "Doorbraaktafel: uitkering en woning in twee weken",
        "area": "Zuidoost",
        "question": (
            "Ik wil een eigen plek om te slapen en geld om van te leven. Ik heb het aan "
            "iedereen gevraagd, maar iedereen stuurt me door."
        ),
        "tried": (
            "Een uitkering aangevraagd zonder vast adres (niet afgerond), ingeschreven als "
            "woningzoekende, begeleiding door de GGZ, nachten in de opvang en bij kennissen."
        ),
        "members": [
            {
                "first_name": "Ronald",
                "last_name": "Visser",
                "date_of_birth": "1980-05-22",
                "bsn": "",
                "relation": "main",
            },
        ],
        "domains": [
            {"domain": "finances", "score": 1},
            {"domain": "daytime", "score": 2},
            {"domain": "housing", "score": 1},
            {"domain": "domestic_relations", "score": 3},
            {"domain": "mental_health", "score": 2},
            {"domain": "physical_health", "score": 3},
            {"domain": "addiction", "score": 3},
            {"domain": "adl", "score": 3},
            {"domain": "social_network", "score": 2},
            {"domain": "community_participation", "score": 2},
            {"domain": "justice", "score": 3},
        ],
        "funders": ["wmo", "participatiewet", "zvw", "housing_corporation"],
        "platform": {
            "first_problem": "Ik heb geen geld en geen bed.",
            "client_present": True,
            "experience_expert_present": True,
            "participants": [
                {"organisation": "Sociaal wijkteam", "role": "casusregisseur (voorzitter)"},
                {"organisation": "Woningcorporatie Zayaz", "role": "woonconsulent"},
                {"organisation": "GGZ-instelling", "role": "ambulant begeleider"},
                {"organisation": "Verslavingszorg", "role": "behandelaar"},
                {"organisation": "Welzijnsorganisatie", "role": "opbouwwerker"},
                {"organisation": "Sociale dienst gemeente", "role": "inkomensconsulent"},
                {"organisation": "Klankbordgroep ervaringsdeskundigen", "role": "ervaringsdeskundige"},
            ],
            "actions": [
                {
                    "what": "Bijstandsaanvraag met briefadres aan tafel invullen en direct in behandeling nemen",
                    "owner_organisation": "Sociale dienst gemeente",
                    "days_after_meeting": 0,
                    "done": True,
                },
                {
                    "what": "Meegaan naar het intakegesprek bij de sociale dienst",
                    "owner_organisation": "Klankbordgroep ervaringsdeskundigen",
                    "days_after_meeting": 3,
                    "done": True,
                },
                {
                    "what": "Passende woning aanbieden met afspraken over begeleiding",
                    "owner_organisation": "Woningcorporatie Zayaz",
                    "days_after_meeting": 10,
                    "done": True,
                },
                {
                    "what": "Ambulante begeleiding voor de eerste maanden in de woning inplannen",
                    "owner_organisation": "GGZ-instelling",
                    "days_after_meeting": 12,
                    "done": True,
                },
                {
                    "what": "Inrichting en eerste huur regelen via bijzondere bijstand",
                    "owner_organisation": "Sociale dienst gemeente",
                    "days_after_meeting": 14,
                    "done": True,
                },
                {
                    "what": "De leerpunten bespreken in de wekelijkse leersessie",
                    "owner_organisation": "Sociaal wijkteam",
                    "days_after_meeting": 21,
                    "done": True,
                },
            ],
            "decisions": [
                {
                    "text": (
                        "De sociale dienst kent de uitkering toe op een briefadres; het ontbreken "
                        "van een woning is geen reden meer om te weigeren."
                    ),
                    "by_lead": False,
                },
                {
                    "text": "De corporatie biedt een woning aan, met ambulante begeleiding als voorwaarde.",
                    "by_lead": False,
                },
                {
                    "text": (
                        "De regisseur betaalt de eerste drie maanden begeleiding voor uit het "
                        "persoonsvolgend budget, tot de Wmo-beschikking er is."
                    ),
                    "by_lead": True,
                },
                {
                    "text": (
                        "De leerervaringen worden vastgelegd als geanonimiseerd verhaal voor de "
                        "beleidstafel: geen uitkering zonder adres en geen woning zonder inkomen."
                    ),
                    "by_lead": False,
                },
            ],
            "breakthrough": "Uitkering toegekend en huurcontract getekend.",
            "days_to_breakthrough": 12,
            "solution_kind": "income_debt",
            "evaluation": {
                "helped": (
                    "Alle partijen met mandaat zaten aan één tafel, samen met meneer en een "
                    "ervaringsdeskundige. Aanvragen gingen ter plekke de deur uit. Les: begin bij "
                    "inkomen en dak, de rest volgt daarna."
                ),
                "blocked": (
                    "Geen uitkering zonder adres en geen woning zonder inkomen: de regels hielden "
                    "elkaar gevangen. Er zijn ook te weinig passende woningen."
                ),
                "blocker_tags": ["rules_clash", "no_places"],
                "client_satisfaction": 9,
                "professional_satisfaction": 9,
            },
        },
        "plan": {
            "horizon_years": 1,
            "do_nothing": {
                "outcome": (
                    "Hij blijft zwerven tussen opvang en kennissen. Crises leiden tot inzet van politie en tot opname."
                ),
                "lines": [
                    {
                        "catalogue_code": "emergency_shelter_night",
                        "description": "Nachten in de maatschappelijke opvang",
                        "unit": "night",
                        "amount_cents": 9000,
                        "quantity": 1,
                        "duration": 200,
                        "funder": "wmo",
                    },
                    {
                        "catalogue_code": "police_officer_hour",
                        "description": "Inzet politie bij overlast en crisis",
                        "unit": "hour",
                        "amount_cents": 7000,
                        "quantity": 1,
                        "duration": 30,
                        "funder": "justice",
                    },
                    {
                        "catalogue_code": "psychiatric_inpatient_day",
                        "description": "Crisisopname psychiatrie",
                        "unit": "day",
                        "amount_cents": 32700,
                        "quantity": 1,
                        "duration": 21,
                        "funder": "zvw",
                    },
                    {
                        "catalogue_code": "emergency_department_visit",
                        "description": "Bezoeken spoedeisende hulp",
                        "unit": "each",
                        "amount_cents": 25800,
                        "quantity": 3,
                        "duration": 1,
                        "funder": "zvw",
                    },
                ],
            },
            "regular": {
                "outcome": "Wachten op een plek in beschermd wonen; tot die tijd de opvang.",
                "lines": [
                    {
                        "catalogue_code": "emergency_shelter_night",
                        "description": "Opvang tijdens de wachttijd",
                        "unit": "night",
                        "amount_cents": 9000,
                        "quantity": 1,
                        "duration": 120,
                        "funder": "wmo",
                    },
                    {
                        "catalogue_code": "sheltered_housing_pgb_day",
                        "description": "Beschermd wonen na de wachttijd",
                        "unit": "day",
                        "amount_cents": 8771,
                        "quantity": 1,
                        "duration": 245,
                        "funder": "wmo",
                    },
                    {
                        "catalogue_code": "case_meeting_six_professionals",
                        "description": "Casusoverleg met zes professionals",
                        "unit": "each",
                        "amount_cents": 150000,
                        "quantity": 4,
                        "duration": 1,
                        "funder": "wmo",
                    },
                ],
            },
            "custom": {
                "outcome": "Een eigen woning met ambulante begeleiding en een uitkering.",
                "lines": [
                    {
                        "catalogue_code": "social_assistance_single_month",
                        "description": "Bijstandsuitkering (een recht dat hij al had)",
                        "unit": "month",
                        "amount_cents": 130845,
                        "quantity": 1,
                        "duration": 12,
                        "funder": "participatiewet",
                    },
                    {
                        "catalogue_code": "wmo_guidance_individual_basic_hour",
                        "description": "Ambulante begeleiding, 2 uur per week",
                        "unit": "hour",
                        "amount_cents": 5580,
                        "quantity": 1,
                        "duration": 104,
                        "funder": "wmo",
                    },
                    {
                        "catalogue_code": "case_meeting_six_professionals",
                        "description": "Eén doorbraaktafel",
                        "unit": "each",
                        "amount_cents": 150000,
                        "quantity": 1,
                        "duration": 1,
                        "funder": "wmo",
                    },
                ],
            },
            "justification_legality": (
                "De uitkering is een recht onder de Participatiewet; met een briefadres kan die "
                "worden toegekend. De begeleiding past binnen de Wmo 2015; de voorfinanciering "
                "wordt verrekend zodra de beschikking er is."
            ),
            "justification_return": (
                "De gewone route via wachtlijst en beschermd wonen kost ongeveer € 38.300, niets "
                "doen ongeveer € 27.700 zonder enig perspectief. Het maatwerkplan kost ongeveer "
                "€ 23.000, waarvan € 15.700 uitkering waar hij al recht op had."
            ),
            "justification_engagement": (
                "Meneer zat zelf aan tafel, gesteund door een ervaringsdeskundige, en koos de woning mee."
            ),
        },
        "loan": None,
    },
]
