"""Startinhoud van het openbare register van initiatieven.

Pure data, geen code. Alle initiatieven komen uit de bronteksten (OPaZ-pagina's en
praktijkvoorbeelden van gemeenten, zie /work/shared/seeds). De teksten zijn in eigen
woorden samengevat, niet overgenomen. Waar de bronnen iets niet zeggen, staat er
"Onbekend" of een lege waarde. De bronteksten bevatten geen volledige webadressen,
daarom is "links" overal leeg.
"""

_OPAZ_RESEARCHERS = "Programma OPaZ (ministerie van VWS) samen met het initiatief"

INITIATIVES: list[dict] = [
    # ------------------------------------------------------------------
    # De acht actieonderzoeken van OPaZ
    # ------------------------------------------------------------------
    {
        "slug": "linawijs-culemborg",
        "name": "Linawijs",
        "place": "Culemborg",
        "region": "Gelderland",
        "target_group": "Kinderen met autisme die niet naar school kunnen",
        "group": "education_at_home",
        "summary": (
            "Linawijs is een ontwikkelplek waar onderwijs en zorg samen worden gegeven. "
            "Het is voor slimme kinderen die vastlopen in een gewone klas, vaak door autisme."
        ),
        "approach": (
            "Een kind begint met één vaste begeleider, één op één. Achter die begeleider "
            "staat een team van specialisten uit onderwijs en zorg, dat samen bepaalt wat "
            "het kind krijgt. Het kind krijgt meer tijd en ruimte dan school of zorg los "
            "kunnen bieden. Eerst komt rust en veiligheid, daarna het leren."
        ),
        "earning_model": "Onbekend",
        "partners": "",
        "links": [],
        "status": "research",
        "research": {
            "question": (
                "Wat maakt dat onderwijs en zorg in één aanbod deze kinderen weer laten "
                "leren, en hoe kan dat ook elders?"
            ),
            "period_start": "2019-06-01",
            "period_end": "2020-06-30",
            "researchers": _OPAZ_RESEARCHERS,
            "findings": "",
            "reports": [],
        },
    },
    {
        "slug": "wooninitiatief-hart-van-brabant",
        "name": "Wooninitiatief Hart van Brabant",
        "place": "Tilburg",
        "region": "Noord-Brabant",
        "target_group": "Kinderen met zeer intensieve zorgvragen",
        "group": "other",
        "summary": (
            "Een vast thuis voor vier kinderen die veel zorg nodig hebben en nergens een "
            "passende plek vonden. Niet het kind verhuist, de zorg komt naar het kind."
        ),
        "approach": (
            "De kinderen moesten steeds weg na een behandeling en konden niet thuis wonen. "
            "De gemeente Tilburg, MEE en aanbieders van gehandicaptenzorg, GGZ en jeugdhulp "
            "maakten samen met de ouders een woonplek voor hen. De partijen brengen samen "
            "geld, kennis en zorg in. Als een kind iets anders nodig heeft, verandert de "
            "zorg mee, en komen ook dagbesteding en school naar het huis toe."
        ),
        "earning_model": "Gezamenlijke inzet van middelen door gemeente en zorgaanbieders",
        "partners": "Gemeente Tilburg, MEE, zorgaanbieders (VG, GGZ, jeugdhulp), ouders",
        "links": [],
        "status": "research",
        "research": {
            "question": (
                "Hoe houden partijen samen een duurzame woonplek in stand voor kinderen met "
                "zeer intensieve zorg, waarbij de zorg meebeweegt met het kind?"
            ),
            "period_start": "2019-06-01",
            "period_end": "2020-06-30",
            "researchers": _OPAZ_RESEARCHERS,
            "findings": "",
            "reports": [],
        },
    },
    {
        "slug": "toolbox-emmen",
        "name": "Toolbox Emmen",
        "place": "Emmen",
        "region": "Drenthe",
        "target_group": "Volwassenen met afstand tot werk en samenleving",
        "group": "other",
        "summary": (
            "Toolbox Emmen helpt sinds 2017 mensen die ver van werk en samenleving staan. "
            "Het doel is betaald werk en een beter leven."
        ),
        "approach": (
            "Toolbox Emmen begon met een social-impactmodel: het werd beloond als de "
            "gemeente minder kosten had voor de deelnemers en hun leven beter werd. Dat "
            "project stopte medio 2018. Sindsdien zoekt het initiatief een nieuw "
            "verdienmodel binnen het bestaande stelsel. Het levert nu dagbesteding en "
            "begeleiding en doet re-integratie."
        ),
        "earning_model": (
            "Eerst social impact (beloning bij lagere kosten voor de gemeente, gestopt "
            "medio 2018); nu onderaannemer voor dagbesteding en begeleiding onder Wmo, Wlz "
            "en pgb, en re-integratiebedrijf voor gemeente en UWV"
        ),
        "partners": "Gemeente Emmen, UWV",
        "links": [],
        "status": "research",
        "research": {
            "question": (
                "Hoe verandert het werk van de organisatie en haar professionals als het verdienmodel verandert?"
            ),
            "period_start": "2019-06-01",
            "period_end": "2020-06-30",
            "researchers": _OPAZ_RESEARCHERS,
            "findings": "",
            "reports": [],
        },
    },
    {
        "slug": "wagterveld-zorg-kampen",
        "name": "Wagterveld Zorg",
        "place": "Kampen",
        "region": "Overijssel",
        "target_group": "Jongeren met LVB en/of GGZ-problematiek",
        "group": "other",
        "summary": (
            "Wagterveld Zorg biedt wonen, werk en begeleiding aan jongeren die overal buiten "
            "de boot vallen. Hun gedragsproblemen worden daardoor kleiner."
        ),
        "approach": (
            "De jongeren hebben vaak een (licht) verstandelijke beperking en/of psychische "
            "problemen. Ze wonen samen in een huis en krijgen hulp bij werk en het gewone "
            "leven. Eerst komt basisveiligheid, daarna de vraag hoe iemand goed kan wonen. "
            "De grote vraag is hoe je dit betaalt als een jongere dag en nacht zorg nodig "
            "heeft: de Wlz past vaak niet, en de Wmo is niet genoeg."
        ),
        "earning_model": "Onbekend (Wlz past vaak niet, Wmo biedt te weinig begeleiding)",
        "partners": "",
        "links": [],
        "status": "research",
        "research": {
            "question": (
                "Hoe betaal je de zorg voor jongeren die dag en nacht hulp nodig hebben, "
                "maar niet goed in de Wlz of de Wmo passen?"
            ),
            "period_start": "2019-06-01",
            "period_end": "2020-06-30",
            "researchers": _OPAZ_RESEARCHERS,
            "findings": "",
            "reports": [],
        },
    },
    {
        "slug": "eva-regelt-zeeland",
        "name": "Eva regelt!",
        "place": "Regio Zeeland",
        "region": "Zeeland",
        "target_group": "Mensen met een zorgvraag en hun professionals",
        "group": "other",
        "summary": (
            "Eva regelt! is een jong bedrijf dat mensen met een zorgvraag ontzorgt. Het geeft "
            "onafhankelijk advies op maat over zorg, wonen, welzijn, werk en inkomen."
        ),
        "approach": (
            "Eva regelt! kijkt naar de hele leefsituatie van de klant en niet naar één "
            "loket. Het werkt persoonlijk en dicht bij huis, met kennis van de situatie in "
            "Zeeland. Het bedrijf helpt ook professionals, bedrijven en overheden."
        ),
        "earning_model": "Onbekend",
        "partners": "",
        "links": [],
        "status": "research",
        "research": {
            "question": (
                "Waarom lukt het Eva regelt! wel om goed advies te geven dat past bij de "
                "hele leefsituatie, en hoe leren gemeenten en zorgkantoren daarvan?"
            ),
            "period_start": "2019-06-01",
            "period_end": "2020-06-30",
            "researchers": _OPAZ_RESEARCHERS,
            "findings": "",
            "reports": [],
        },
    },
    {
        "slug": "rubix-zorg-arnhem",
        "name": "Rubix Zorg",
        "place": "Arnhem",
        "region": "Gelderland",
        "target_group": "Jongeren die (gesloten) jeugdzorg dreigen in te gaan",
        "group": "other",
        "summary": (
            "Rubix Zorg geeft intensieve begeleiding aan jongeren die anders in een "
            "(gesloten) instelling terechtkomen. Het doel is dat ze thuis kunnen blijven of "
            "snel terug naar huis gaan."
        ),
        "approach": (
            "Rubix Zorg helpt ook jongeren die na een opname te lang wachten op een "
            "vervolgplek. De organisatie durft buiten de lijntjes te kleuren om jongeren "
            "met veel problemen toch mee te laten doen. Zo wil ze uithuisplaatsingen en "
            "lange opnames voorkomen. Ze wil ook laten zien dat standaardzorg niet vanzelf "
            "passend is."
        ),
        "earning_model": "Onbekend",
        "partners": "",
        "links": [],
        "status": "research",
        "research": {
            "question": (
                "Welke onderdelen van de werkwijze helpen om jongeren thuis te laten wonen, "
                "en welke onderdelen passen daar juist niet bij?"
            ),
            "period_start": "2019-06-01",
            "period_end": "2020-06-30",
            "researchers": _OPAZ_RESEARCHERS,
            "findings": "",
            "reports": [],
        },
    },
    {
        "slug": "stichting-zorgvrijstaat-rotterdam",
        "name": "Stichting Zorgvrijstaat",
        "place": "Rotterdam",
        "region": "Zuid-Holland",
        "target_group": "Bewoners van Rotterdam West",
        "group": "other",
        "summary": (
            "Zorgvrijstaat begon als ontmoeting in de wijk en is nu een stichting met veel "
            "activiteiten. Het brengt bewoners van Rotterdam West met elkaar in contact."
        ),
        "approach": (
            "De stichting organiseert onder meer maaltijden waar je kunt aanschuiven, hulp "
            "bij schulden, klussen in huis en een radiopodcast. Bewoners helpen elkaar en leren elkaar kennen. "
            "Zo ontstaat steun dicht bij huis, buiten de formele zorg."
        ),
        "earning_model": "Onbekend (in gesprek met de gemeente over financiering)",
        "partners": "",
        "links": [],
        "status": "research",
        "research": {
            "question": (
                "Wat is de waarde van de activiteiten van de stichting, zodat het gesprek "
                "over geld met de gemeente makkelijker wordt?"
            ),
            "period_start": "2019-06-01",
            "period_end": "2020-06-30",
            "researchers": _OPAZ_RESEARCHERS,
            "findings": "",
            "reports": [],
        },
    },
    {
        "slug": "integrale-keetaanpak-nijkerk",
        "name": "Integrale keetaanpak Nijkerk",
        "place": "Nijkerk",
        "region": "Gelderland",
        "target_group": "Jongeren",
        "group": "other",
        "summary": (
            "Een integrale aanpak rond keten, de plekken waar jongeren samenkomen. OPaZ "
            "volgt deze aanpak als een van de acht actieonderzoeken."
        ),
        "approach": (
            "De bronnen geven nog weinig details. Het gaat om een aanpak waarin partijen "
            "samen optrekken in plaats van ieder vanuit het eigen domein. OPaZ deelt de "
            "voortgang tijdens het onderzoek."
        ),
        "earning_model": "Onbekend",
        "partners": "",
        "links": [],
        "status": "research",
        "research": {
            "question": "Wat levert een integrale, gezamenlijke aanpak rond keten op in Nijkerk?",
            "period_start": "2019-06-01",
            "period_end": "2020-06-30",
            "researchers": _OPAZ_RESEARCHERS,
            "findings": "",
            "reports": [],
        },
    },
    # ------------------------------------------------------------------
    # Voorbeelden uit Friesland, Hollandse Kroon, Utrecht en landelijk
    # ------------------------------------------------------------------
    {
        "slug": "ateliers-sociaal-domein-friesland",
        "name": "Ateliers Sociaal Domein",
        "place": "Friesland",
        "region": "Friesland",
        "target_group": "Gemeenten en professionals in het sociaal domein",
        "group": "other",
        "summary": (
            "Gemeenten leggen lastige vragen voor aan een atelier van hogeschool, studenten "
            "en professionals. Samen zoeken ze een oplossing die lang meegaat."
        ),
        "approach": (
            "Een docent is de spil en kiest studenten met de opleiding die bij de vraag "
            "past. Een denktank van professionals denkt om de zes tot acht weken mee. Elke "
            "ronde begint met een empathy map: je kijkt om de beurt door de ogen van de "
            "ambtenaar, de student, de docent of de sociaal werker. De uitkomst staat niet "
            "vooraf vast, en de samenstelling wisselt steeds."
        ),
        "earning_model": "Onbekend",
        "partners": "NHL Stenden Hogeschool, Werkplaats Sociaal Domein Friesland, Friese gemeenten",
        "links": [],
        "status": "active",
        "research": None,
    },
    {
        "slug": "hollandse-kroon-een-contractpartner",
        "name": "Eén contractpartner voor Wmo en jeugd",
        "place": "Hollandse Kroon",
        "region": "Noord-Holland",
        "target_group": "Alle inwoners met een vraag over zorg of ondersteuning",
        "group": "other",
        "summary": (
            "De gemeente Hollandse Kroon bracht sinds 2016 alle taken voor Wmo, jeugd en "
            "voorliggende voorzieningen onder bij één partner. De kosten bleven binnen het "
            "budget en klanten zijn tevreden."
        ),
        "approach": (
            "Gemeente en Incluzio werken als hechte partners. Zorg moet makkelijk bereikbaar "
            "zijn, gewoon en niet zwaarder dan nodig. Wmo en jeugdhulp worden lokaal en in "
            "samenhang geleverd, vooral door de wijkteams. Er wordt minder doorverwezen en "
            "de wijkteams zijn beter te vinden. Tip: stuur in contracten op doelen en houd "
            "ruimte voor maatwerk."
        ),
        "earning_model": "Eén integraal contract van de gemeente met één contractpartner, gericht op doelen",
        "partners": "Gemeente Hollandse Kroon, Incluzio, wijkteams",
        "links": [],
        "status": "active",
        "research": None,
    },
    {
        "slug": "ambassadeurs-informele-zorg-utrecht",
        "name": "Ambassadeurs informele zorg",
        "place": "Utrecht",
        "region": "Utrecht",
        "target_group": "Inwoners met een hulpvraag",
        "group": "other",
        "summary": (
            "Vrijwilligersorganisaties en buurtteams bekijken samen welke hulp ook door een "
            "vrijwilliger kan worden gegeven. Zo krijgen inwoners passende hulp."
        ),
        "approach": (
            "Professionals van organisaties uit het netwerk informele zorg schuiven aan bij "
            "de buurtteams. Ze bespreken samen situaties van inwoners. Ze kijken welk deel "
            "van de vraag een vrijwilliger kan oppakken en waar die te vinden is. Dat "
            "vermindert professionele inzet en verbindt mensen in de wijk."
        ),
        "earning_model": "Onbekend",
        "partners": "Netwerk Informele Zorg Utrecht (NIZU), gemeente Utrecht, buurtteams",
        "links": [],
        "status": "active",
        "research": None,
    },
    {
        "slug": "nu-niet-zwanger",
        "name": "Nu Niet Zwanger",
        "place": "Landelijk",
        "region": "Landelijk",
        "target_group": "Kwetsbare volwassenen met complexe problemen",
        "group": "multi_problem_families",
        "summary": (
            "Hulpverleners praten met kwetsbare mensen over kinderwens, seks en anticonceptie. "
            "Zo kiezen mensen zelf bewust of en wanneer ze kinderen willen."
        ),
        "approach": (
            "Het programma hoort bij Kansrijke Start. Hulpverleners uit de medische en de "
            "sociale hoek maken het onderwerp bespreekbaar en werken nauw samen, zodat "
            "niemand tussen wal en schip valt. Ruim acht op de tien deelnemers kiest er zelf "
            "voor om een kinderwens uit te stellen met passende anticonceptie. Een knelpunt "
            "is dat de jeugdzorg in veel gemeenten vastzit."
        ),
        "earning_model": "Onbekend",
        "partners": (
            "GGD GHOR Nederland, Rutgers, huisartsen, verloskundigen, gynaecologen, GGZ, "
            "verslavingszorg, sociale wijkteams, maatschappelijke opvang, jeugdgezondheidszorg"
        ),
        "links": [],
        "status": "active",
        "research": None,
    },
    {
        "slug": "life-goals",
        "name": "Life Goals",
        "place": "Landelijk",
        "region": "Landelijk",
        "target_group": "Mensen die zijn vastgelopen, zoals dak- en thuislozen en ex-gedetineerden",
        "group": "other",
        "summary": (
            "Met sport helpt Stichting Life Goals kwetsbare mensen weer in beweging te "
            "komen, in hun lijf en in hun leven. Dat gebeurt in 25 gemeenten."
        ),
        "approach": (
            "Life Goals werkt lokaal samen met sportclubs, gemeenten en zorginstellingen, "
            "zodat deelnemers vast kunnen sporten. Sport is het middel om te groeien en weer "
            "mee te doen. Deelnemers stijgen zichtbaar op de participatieladder. Een monitor "
            "volgt de groei van deelnemers en van het sportprogramma."
        ),
        "earning_model": "Onbekend",
        "partners": (
            "Sportorganisaties, gemeenten, zorginstellingen, Wageningen University, Kenniscentrum Sport, Movisie"
        ),
        "links": [],
        "status": "active",
        "research": None,
    },
    # ------------------------------------------------------------------
    # Voorbeelden van gemeenten uit de praktijkverhalen
    # ------------------------------------------------------------------
    {
        "slug": "thuis-in-zuidoost",
        "name": "Thuis in Zuidoost",
        "place": "'s-Hertogenbosch",
        "region": "Noord-Brabant",
        "target_group": "Volwassenen met verward gedrag",
        "group": "calm_in_crisis",
        "summary": (
            "Professionals in 's-Hertogenbosch Zuidoost werken samen met bewoners aan "
            "wonen, zorg, dagbesteding en inkomen. Vastgelopen situaties gaan naar een "
            "doorbraaktafel."
        ),
        "approach": (
            "Gemeente, zorgaanbieders, welzijn en woningcorporaties werken vanuit de vraag "
            "van de bewoner, over alle levensdomeinen heen. Overleg gaat mét de persoon, niet "
            "over hem, en een ervaringsdeskundige kan steunen. Het geld volgt de persoon "
            "(persoonsvolgend budget). Elke week is er een leersessie met een thema dat de "
            "professionals zelf kiezen."
        ),
        "earning_model": "Persoonsvolgend budget van de gemeente voor snelle maatwerkoplossingen",
        "partners": (
            "Gemeente 's-Hertogenbosch, Reinier van Arkel, Cello, Novadic Kentron, "
            "Breed Welzijn, Zayaz, Brabant Wonen, ervaringsdeskundigen"
        ),
        "links": [],
        "status": "completed",
        "research": {
            "question": (
                "Hoe organiseer je in een afgebakende wijk ondersteuning voor mensen met "
                "verward gedrag die past bij wat zij nodig hebben, over alle levensdomeinen heen?"
            ),
            "period_start": "2018-09-01",
            "period_end": "2020-08-31",
            "researchers": "Projectgroep Thuis in Zuidoost met projectadviseur-ervaringsdeskundige",
            "findings": (
                "Een doorbraaktafel met corporatie, aanbieders, sociaal team en "
                "ervaringsdeskundige leverde voor meerdere mensen een uitkering of woning op. "
                "Werkzaam zijn: de praktijk laat de werkwijze bepalen, ervaringsdeskundigen "
                "houden het perspectief van de bewoner scherp, lessen gaan als geanonimiseerd "
                "verhaal van een echt persoon naar de bestuurstafel, en professionals krijgen "
                "tijd betaald. Wachtlijsten, te weinig passende woningen en regels rond "
                "uitkeringen remmen maatwerk nog af; daarom is er snel inzetbaar geld gekomen."
            ),
            "reports": [
                {
                    "kind": "progress",
                    "title": "Voortgangsverslag Thuis in Zuidoost: het eerste jaar",
                    "published_on": "2019-09-30",
                    "summary": (
                        "Er is een klankbordgroep van ervaringsdeskundigen (zij geven de opzet "
                        "een 8,5) en een wijknetwerk van 25 getrainde professionals. Vastgelopen "
                        "situaties gaan naar de doorbraaktafel; zorgaanbieders namen samen het "
                        "initiatief voor Housing First. Elke week is er een leersessie, onder "
                        "meer over privacy en de werkwijze van sociale dienst en corporatie. "
                        "Volgende stap: ook familie en naasten meer betrekken."
                    ),
                },
                {
                    "kind": "final",
                    "title": "Eindverslag Thuis in Zuidoost",
                    "published_on": "2020-10-15",
                    "summary": (
                        "Het netwerk werkt over organisatiegrenzen heen, met gedeeld "
                        "eigenaarschap en een flexibel persoonsvolgend budget. Een reeks "
                        "thema's leidde tot aanpassing van beleid. Professionals en "
                        "ervaringsdeskundigen vertellen nu één gezamenlijk verhaal."
                    ),
                },
            ],
        },
    },
    {
        "slug": "resultaatvolgend-budget-leeuwarden",
        "name": "Resultaatvolgend budget",
        "place": "Leeuwarden",
        "region": "Friesland",
        "target_group": "Huishoudens met vragen op meerdere levensdomeinen",
        "group": "multi_problem_families",
        "summary": (
            "Het sociaal wijkteam in Leeuwarden Oud-Oost kijkt naar het hele huishouden en "
            "niet naar één wet. Een flexibel budget betaalt wat echt helpt."
        ),
        "approach": (
            "Het team vraagt wat het huishouden wil en welke oplossing het zelf ziet. Het "
            "budget kan een middel of ondersteuning betalen, zoals een auto om bij een baan "
            "te komen, een behandeling die de verzekeraar niet vergoedt, of een sportschool "
            "die jongeren helpt. Elke uitgave krijgt een maatwerkplan dat drie vragen "
            "beantwoordt: wat gebeurt er en wat kost het als we niets doen, met het gewone "
            "aanbod, en met het budget? De onderbouwing rust op rechtmatigheid, rendement en "
            "betrokkenheid."
        ),
        "earning_model": "Resultaatvolgend budget van de gemeente",
        "partners": (
            "Gemeente Leeuwarden, Sociaal Wijkteam Oud Oost, City Deal Inclusieve Stad, Instituut voor Publieke Waarden"
        ),
        "links": [],
        "status": "active",
        "research": {
            "question": (
                "Wat levert werken met een flexibel, resultaatvolgend budget op voor "
                "inwoners en professionals binnen de City Deal Inclusieve Stad?"
            ),
            "period_start": "2017-01-01",
            "period_end": "2018-02-28",
            "researchers": "Verwey-Jonker Instituut (De Meere, Van den Toorn, Hamdi, Wilderink)",
            "findings": (
                "Dankzij uitwisseling, training, een flexibel budget en korte lijnen konden "
                "sociaal werkers buiten de gebaande paden werken. Cliënten kregen weer werk, "
                "volgden weer een opleiding en kregen een beter zelfbeeld."
            ),
            "reports": [
                {
                    "kind": "final",
                    "title": "Doen wat nodig is voor inwoners. Ervaringen uit de City Deal Inclusieve Stad",
                    "published_on": "2018-02-15",
                    "summary": (
                        "Evaluatie van de City Deal in vijf steden, met Leeuwarden in een "
                        "aparte bijlage. Het flexibele budget en de korte lijnen gaven "
                        "professionals ruimte om te doen wat nodig is."
                    ),
                },
            ],
        },
    },
    {
        "slug": "ontschotter-hlt",
        "name": "De ontschotter",
        "place": "Hillegom, Lisse en Teylingen",
        "region": "Zuid-Holland",
        "target_group": "Inwoners en gezinnen die vastlopen in het systeem",
        "group": "multi_problem_families",
        "summary": (
            "De ontschotter is de noodknop voor professionals als een situatie muurvast zit. "
            "Zij roept iedereen bij elkaar en gaat pas weg als er een doorbraak is."
        ),
        "approach": (
            "De ontschotter organiseert een casusplatform met alle betrokken professionals; "
            "de cliënt mag erbij zijn. Ze beginnen bij het eerste probleem van de cliënt en "
            "regelen meteen wat kan, met telefoontjes en aanvragen. Meestal zit de zaak "
            "binnen drie weken weer in beweging. Komen ze er niet uit, dan beslist de "
            "ontschotter met mandaat en eigen budget. Elk platform wordt achteraf geëvalueerd."
        ),
        "earning_model": (
            "Handgeld en mandaat van de gemeenten; voorfinanciering wordt vaak later via de "
            "gewone wetten en fondsen vergoed"
        ),
        "partners": "Gemeenten Hillegom, Lisse en Teylingen, MEE",
        "links": [],
        "status": "active",
        "research": None,
    },
    {
        "slug": "eigen-kracht-conferentie",
        "name": "Eigen Kracht-conferentie",
        "place": "Landelijk",
        "region": "Landelijk",
        "target_group": "Gezinnen",
        "group": "multi_problem_families",
        "summary": (
            "Een gezin maakt met familie, vrienden en buren een eigen plan. De professional "
            "stelt vooraf de voorwaarden voor veiligheid, maar schrijft het plan niet."
        ),
        "approach": (
            "Het netwerk bedenkt oplossingen waar een hulpverlener zelf niet op komt. In het "
            "plan staan vluchtroutes en noodnummers, zodat iedereen weet wat te doen als de "
            "spanning oploopt. In de eerste maanden zijn er vaste evaluaties met alle "
            "betrokkenen. Zo kan de professional volgen hoe het gaat zonder het over te nemen."
        ),
        "earning_model": "Onbekend",
        "partners": "Eigen Kracht Centrale",
        "links": [],
        "status": "active",
        "research": None,
    },
    {
        "slug": "informele-dagbesteding-vlijmen",
        "name": "Informele dagbesteding Vlijmen",
        "place": "Vlijmen",
        "region": "Noord-Brabant",
        "target_group": "Ouderen en andere inwoners zonder indicatie",
        "group": "other",
        "summary": (
            "Negen zorg- en welzijnsorganisaties openden samen een open dagbesteding in de "
            "sporthal van Vlijmen. Iedereen mag binnenlopen, ook zonder indicatie."
        ),
        "approach": (
            "De dagbesteding zit in sport- en zwemcentrum De Heygraven, een toegankelijk "
            "gebouw midden in het dorp. Geen van de organisaties zet er haar stempel op; ze "
            "brengen allemaal kennis in. Bezoekers betalen een kleine bijdrage per dag, met "
            "een warme maaltijd. Het idee is dat minder mensen een indicatie voor formele "
            "dagbesteding nodig hebben."
        ),
        "earning_model": (
            "Eigen bijdrage van bezoekers (€ 5 per dag) en inzet van de negen organisaties; "
            "onderdeel van het In voor zorg-project 'Cirkels van het gewone leven'"
        ),
        "partners": (
            "Contour de Twern, Thebe, RIBW Brabant, Prisma, Schakelring, Modus, MEE, Juvans, "
            "GGD, gemeente Heusden, De Heygraven"
        ),
        "links": [],
        "status": "active",
        "research": None,
    },
    {
        "slug": "bibliotheken-informatie-dichtbij",
        "name": "Bibliotheken als plek voor informatie dichtbij",
        "place": "Zoetermeer, Deventer en Dalfsen",
        "region": "Landelijk",
        "target_group": "Inwoners met complexe zorgvragen",
        "group": "information_nearby",
        "summary": (
            "OPaZ onderzoekt met drie bibliotheken of zij mensen met complexe zorgvragen "
            "kunnen helpen aan goede informatie, dicht bij huis."
        ),
        "approach": (
            "Bibliotheken zijn plekken waar veel mensen makkelijk binnenstappen, met "
            "medewerkers die goed kunnen zoeken. Het onderzoek kijkt of mensen met complexe "
            "zorgvragen er komen, of bestaande informatiebronnen genoeg zijn, en wat "
            "bibliotheken nodig hebben om de vraag achter de vraag te vinden."
        ),
        "earning_model": "Onbekend",
        "partners": (
            "Ministerie van VWS (OPaZ), Koninklijke Bibliotheek, Bibliotheek Zoetermeer, "
            "Bibliotheek Deventer, Bibliotheek Dalfsen"
        ),
        "links": [],
        "status": "research",
        "research": {
            "question": (
                "Kunnen bibliotheken een rol spelen in de informatie voor mensen met complexe "
                "zorgvragen, en wat vraagt dat van hen?"
            ),
            "period_start": "2018-01-15",
            "period_end": None,
            "researchers": "Programma OPaZ (ministerie van VWS) met de bibliotheken van Zoetermeer, Deventer en Dalfsen",
            "findings": "",
            "reports": [
                {
                    "kind": "progress",
                    "title": "Eerste rapport: de Bibliotheek Deventer",
                    "published_on": "2018-06-15",
                    "summary": (
                        "Eerste deelrapport, over het aanbod en de rol van de bibliotheek in "
                        "Deventer bij informatie over zorg en ondersteuning."
                    ),
                },
                {
                    "kind": "progress",
                    "title": "Presentatie tussenresultaten",
                    "published_on": "2018-07-05",
                    "summary": (
                        "Bijeenkomst in Den Haag van VWS, de Koninklijke Bibliotheek en "
                        "bibliotheken, waar de tussenresultaten zijn gedeeld en besproken."
                    ),
                },
            ],
        },
    },
    {
        "slug": "mobility-mentoring-rust-in-crisis",
        "name": "Rust in crisissituaties (Mobility Mentoring)",
        "place": "Landelijk",
        "region": "Landelijk",
        "target_group": "Mensen met schulden of een complexe zorgvraag in crisis",
        "group": "calm_in_crisis",
        "summary": (
            "Wie veel stress heeft, kan slecht plannen en beslissen. OPaZ verkent of inzichten "
            "uit de armoedeaanpak Mobility Mentoring ook helpen bij crisis in de zorg."
        ),
        "approach": (
            "In de schuldhulp zie je vaak afspraken die mislukken. Dat is meestal geen onwil "
            "maar onmacht door stress. Eerst de stress verminderen, dan pas plannen maken. OPaZ "
            "onderzoekt met professionals of een time-out helpt om escalatie te voorkomen en "
            "mensen meer regie te geven."
        ),
        "earning_model": "Onbekend",
        "partners": "Programma OPaZ (ministerie van VWS), gemeenten",
        "links": [],
        "status": "active",
        "research": None,
    },
    {
        "slug": "persona-familie-hermsen",
        "name": "Persona Familie Hermsen",
        "place": "Landelijk",
        "region": "Landelijk",
        "target_group": "Gezinnen met meervoudige problemen",
        "group": "multi_problem_families",
        "summary": (
            "OPaZ start een initiatief rond de persona Familie Hermsen, een voorbeeldgezin "
            "met problemen op veel terreinen tegelijk."
        ),
        "approach": (
            "Met een persona maak je zichtbaar hoe regels en loketten uitpakken voor één "
            "gezin. Meer informatie volgt nog."
        ),
        "earning_model": "Onbekend",
        "partners": "Programma OPaZ (ministerie van VWS)",
        "links": [],
        "status": "active",
        "research": None,
    },
]
