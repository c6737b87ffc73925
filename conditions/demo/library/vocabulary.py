"""The generator's own words: categories, people, references, headings, notes.

Everything here is written for the generated library (the article text comes
from the vendored extract). Spanish strings here are real translations of the
English ones beside them: category names, the headings of free sections, the
illustrations' alt texts and captions.
"""

#: Category key -> kind, names and slugs per language, and the keywords (in
#: the article's title and text, lower case, matched at a word start) that
#: put an article in it. The first six match the demo's own categories.
CATEGORIES = {
    "nervous-system": {
        "kind": "body_system",
        "name": {"en": "Brain and nerves", "es": "Cerebro y nervios"},
        "slug": {"en": "brain-and-nerves", "es": "cerebro-y-nervios"},
        "keywords": [
            "brain",
            "nerve",
            "neuro",
            "seizure",
            "epilep",
            "ataxia",
            "dystonia",
            "spinal cord",
            "dementia",
            "leukodystrophy",
            "paraplegia",
            "intellectual disability",
            "parkinson",
            "migraine",
            "neuralgia",
        ],
        "specialty": "neurology",
    },
    "digestive-system": {
        "kind": "body_system",
        "name": {"en": "Digestive system", "es": "Aparato digestivo"},
        "slug": {"en": "digestive-system", "es": "aparato-digestivo"},
        "keywords": [
            "liver",
            "hepat",
            "bowel",
            "intestin",
            "stomach",
            "digest",
            "pancrea",
            "colon",
            "esophag",
            "gastr",
            "celiac",
            "crohn",
            "gallbladder",
            "bile",
            "abdominal",
            "rectal",
            "anal ",
        ],
        "specialty": "gastroenterology",
    },
    "heart-and-blood-vessels": {
        "kind": "body_system",
        "name": {"en": "Heart and blood vessels", "es": "Corazón y vasos sanguíneos"},
        "slug": {"en": "heart-and-blood-vessels", "es": "corazon-y-vasos-sanguineos"},
        "keywords": [
            "heart",
            "cardi",
            "arter",
            "aort",
            "vascular",
            "blood pressure",
            "arrhythm",
            "valve",
        ],
        "specialty": "cardiology",
    },
    "blood-and-immune-system": {
        "kind": "body_system",
        "name": {"en": "Blood and immune system", "es": "Sangre y sistema inmunitario"},
        "slug": {"en": "blood-and-immune-system", "es": "sangre-y-sistema-inmunitario"},
        "keywords": [
            "anemia",
            "hemoglobin",
            "bleeding",
            "clotting",
            "platelet",
            "thrombo",
            "hemophilia",
            "immunodeficien",
            "immune",
            "lymphocyte",
            "white blood cell",
            "red blood cell",
        ],
        "specialty": "hematology",
    },
    "lungs-and-breathing": {
        "kind": "body_system",
        "name": {"en": "Lungs and breathing", "es": "Pulmones y respiración"},
        "slug": {"en": "lungs-and-breathing", "es": "pulmones-y-respiracion"},
        "keywords": [
            "lung",
            "pulmonar",
            "respirat",
            "breath",
            "airway",
            "bronch",
            "asthma",
            "cystic fibrosis",
            "tuberculosis",
            "legionnaires",
        ],
        "specialty": "pulmonology",
    },
    "kidneys-and-urinary-tract": {
        "kind": "body_system",
        "name": {"en": "Kidneys and urinary tract", "es": "Riñones y vías urinarias"},
        "slug": {"en": "kidneys-and-urinary-tract", "es": "rinones-y-vias-urinarias"},
        "keywords": [
            "kidney",
            "renal",
            "urinary",
            "bladder",
            "nephr",
            "urethr",
            "ureter",
            "incontinence",
        ],
        "specialty": "nephrology",
    },
    "hormones-and-metabolism": {
        "kind": "body_system",
        "name": {"en": "Hormones and metabolism", "es": "Hormonas y metabolismo"},
        "slug": {"en": "hormones-and-metabolism", "es": "hormonas-y-metabolismo"},
        "keywords": [
            "hormon",
            "metabol",
            "enzyme",
            "thyroid",
            "diabet",
            "adrenal",
            "pituitar",
            "insulin",
            "glycogen",
            "lipid",
            "cholesterol",
            "obesity",
            "acidemia",
            "aciduria",
        ],
        "specialty": "endocrinology",
    },
    "bones-joints-and-muscles": {
        "kind": "body_system",
        "name": {
            "en": "Bones, joints and muscles",
            "es": "Huesos, articulaciones y músculos",
        },
        "slug": {
            "en": "bones-joints-and-muscles",
            "es": "huesos-articulaciones-y-musculos",
        },
        "keywords": [
            "bone",
            "skelet",
            "muscle",
            "muscular",
            "myopath",
            "myositis",
            "joint",
            "cartilage",
            "dwarfism",
            "scoliosis",
            "osteo",
            "arthr",
        ],
        "specialty": "rheumatology",
    },
    "skin-hair-and-nails": {
        "kind": "body_system",
        "name": {"en": "Skin, hair and nails", "es": "Piel, cabello y uñas"},
        "slug": {"en": "skin-hair-and-nails", "es": "piel-cabello-y-unas"},
        "keywords": [
            "skin",
            "hair",
            "nail",
            "derma",
            "ichthyosis",
            "pigment",
            "albinism",
            "blister",
            "scar",
            "melanoma",
        ],
        "specialty": "dermatology",
    },
    "eyes-and-ears": {
        "kind": "body_system",
        "name": {"en": "Eyes and ears", "es": "Ojos y oídos"},
        "slug": {"en": "eyes-and-ears", "es": "ojos-y-oidos"},
        "keywords": [
            "eye",
            "vision",
            "retin",
            "blind",
            "optic",
            "cataract",
            "glaucoma",
            "hearing",
            "deaf",
            "ear ",
        ],
        "specialty": "ophthalmology",
    },
    "reproductive-system": {
        "kind": "body_system",
        "name": {"en": "Reproductive system", "es": "Aparato reproductor"},
        "slug": {"en": "reproductive-system", "es": "aparato-reproductor"},
        "keywords": [
            "ovar",
            "uter",
            "testic",
            "prostat",
            "breast",
            "fertil",
            "pregnan",
            "sexual development",
            "genital",
            "cervical cancer",
            "vagina",
            "penile",
        ],
        "specialty": "obstetrics-and-gynecology",
    },
    # When no keyword matches: conditions that affect the whole body.
    "whole-body": {
        "kind": "body_system",
        "name": {"en": "Whole body", "es": "Todo el cuerpo"},
        "slug": {"en": "whole-body", "es": "todo-el-cuerpo"},
        "keywords": [],
        "specialty": "",
    },
    "neurology": {
        "kind": "specialty",
        "name": {"en": "Neurology", "es": "Neurología"},
        "slug": {"en": "neurology", "es": "neurologia"},
    },
    "gastroenterology": {
        "kind": "specialty",
        "name": {"en": "Gastroenterology", "es": "Gastroenterología"},
        "slug": {"en": "gastroenterology", "es": "gastroenterologia"},
    },
    "infectious-diseases": {
        "kind": "specialty",
        "name": {"en": "Infectious diseases", "es": "Enfermedades infecciosas"},
        "slug": {"en": "infectious-diseases", "es": "enfermedades-infecciosas"},
        "keywords": [
            "infection",
            "infectious",
            "bacteri",
            "virus",
            "viral",
            "hepatitis",
            "tuberculosis",
            "tetanus",
            "measles",
        ],
    },
    "sleep-medicine": {
        "kind": "specialty",
        "name": {"en": "Sleep medicine", "es": "Medicina del sueño"},
        "slug": {"en": "sleep-medicine", "es": "medicina-del-sueno"},
        "keywords": ["sleep", "narcolepsy", "insomnia", "restless legs"],
    },
    "cardiology": {
        "kind": "specialty",
        "name": {"en": "Cardiology", "es": "Cardiología"},
        "slug": {"en": "cardiology", "es": "cardiologia"},
    },
    "hematology": {
        "kind": "specialty",
        "name": {"en": "Hematology", "es": "Hematología"},
        "slug": {"en": "hematology", "es": "hematologia"},
    },
    "pulmonology": {
        "kind": "specialty",
        "name": {"en": "Pulmonology", "es": "Neumología"},
        "slug": {"en": "pulmonology", "es": "neumologia"},
    },
    "nephrology": {
        "kind": "specialty",
        "name": {"en": "Nephrology and urology", "es": "Nefrología y urología"},
        "slug": {"en": "nephrology-and-urology", "es": "nefrologia-y-urologia"},
    },
    "endocrinology": {
        "kind": "specialty",
        "name": {"en": "Endocrinology", "es": "Endocrinología"},
        "slug": {"en": "endocrinology", "es": "endocrinologia"},
    },
    "rheumatology": {
        "kind": "specialty",
        "name": {
            "en": "Rheumatology and orthopedics",
            "es": "Reumatología y ortopedia",
        },
        "slug": {
            "en": "rheumatology-and-orthopedics",
            "es": "reumatologia-y-ortopedia",
        },
    },
    "dermatology": {
        "kind": "specialty",
        "name": {"en": "Dermatology", "es": "Dermatología"},
        "slug": {"en": "dermatology", "es": "dermatologia"},
    },
    "ophthalmology": {
        "kind": "specialty",
        "name": {"en": "Eye and ear care", "es": "Oftalmología y otorrinolaringología"},
        "slug": {"en": "eye-and-ear-care", "es": "oftalmologia-y-otorrinolaringologia"},
    },
    "obstetrics-and-gynecology": {
        "kind": "specialty",
        "name": {"en": "Obstetrics and gynecology", "es": "Obstetricia y ginecología"},
        "slug": {"en": "obstetrics-and-gynecology", "es": "obstetricia-y-ginecologia"},
    },
    "oncology": {
        "kind": "specialty",
        "name": {"en": "Oncology", "es": "Oncología"},
        "slug": {"en": "oncology", "es": "oncologia"},
        "keywords": [
            "cancer",
            "tumor",
            "carcinoma",
            "lymphoma",
            "leukemia",
            "sarcoma",
            "melanoma",
            "neoplasia",
            "blastoma",
            "myeloma",
        ],
    },
    "medical-genetics": {
        "kind": "specialty",
        "name": {"en": "Medical genetics", "es": "Genética médica"},
        "slug": {"en": "medical-genetics", "es": "genetica-medica"},
    },
}

#: Source organisation -> the specialty its pages always get.
SOURCE_SPECIALTY = {"ghr": "medical-genetics", "nci": "oncology"}

#: Spanish headings of the free sections MedQuAD has (keyed by the English).
HEADINGS = {
    "es": {
        "Genetic changes": "Cambios genéticos",
        "How common it is": "Frecuencia",
        "Inheritance": "Herencia",
        "Stages": "Estadios",
        "Outlook": "Pronóstico",
        "Complications": "Complicaciones",
        "Research": "Investigación",
    }
}

#: Writers credited as authors, and illustrators (name, credentials). The
#: first is the demo's author; the others exist only in generated libraries.
AUTHORS = [
    ("Cynthia M. Johnson", "MA"),
    ("Priya S. Raman", "MPH"),
    ("Thomas K. Berger", "MS"),
    ("Amara O. Nwosu", "RN"),
    ("Lucía Fernández Ortega", "MA"),
]
ILLUSTRATORS = [("Marta Ibáñez", "CMI"), ("Jonah Whitfield", "CMI")]

#: Accounts that sign approvals need a contributor profile with credentials;
#: these are the demo's medical reviewers (see conditions.demo.loader).
REVIEWER_PROFILES = {
    "reviewer": ("Daniel A. Ostrovsky", "MD"),
    "reviewer2": ("Grace N. Okafor", "PharmD"),
}

#: Source organisation -> how its pages are cited (NLM style, as the demo's
#: references: the page title, then "<site> website" and the address).
SOURCE_SITES = {
    "ghr": "Genetics Home Reference website",
    "nci": "National Cancer Institute website",
    "niddk": "National Institute of Diabetes and Digestive and Kidney Diseases website",
    "medlineplus": "MedlinePlus website",
}

#: References every page of a source also cites (shared rows).
SHARED_REFERENCES = {
    "medquad": {
        "authors": "Ben Abacha A, Demner-Fushman D",
        "title": "A question-entailment approach to question answering",
        "container": "BMC Bioinformatics",
        "year": 2019,
        "volume": "20",
        "issue": "1",
        "pages": "511",
        "doi": "10.1186/s12859-019-3119-4",
        "pmid": "31640539",
        "url": "",
    },
    "ghr": {
        "title": "Help me understand genetics",
        "container": "Genetics Home Reference website",
        "url": "https://ghr.nlm.nih.gov/primer",
    },
    "nci": {
        "title": "PDQ cancer information summaries",
        "container": "National Cancer Institute website",
        "url": "https://www.cancer.gov/publications/pdq",
    },
    "niddk": {
        "title": "Health information",
        "container": SOURCE_SITES["niddk"],
        "url": "https://www.niddk.nih.gov/health-information",
    },
    "medlineplus": {
        "title": "Health topics",
        "container": "MedlinePlus website",
        "url": "https://medlineplus.gov/healthtopics.html",
    },
}
SOURCE_REFERENCES = {
    "ghr": ["ghr", "medquad"],
    "nci": ["nci", "medquad"],
    "niddk": ["niddk", "medquad"],
    "medlineplus": ["medlineplus"],
}

#: Illustrations drawn once with Pillow (illustrations.py) and shared by
#: every article of their topic. Texts per language.
ILLUSTRATIONS = {
    "chromosomes": {
        "alt": {
            "en": "Drawing of a pair of chromosomes with one band highlighted",
            "es": "Dibujo de un par de cromosomas con una banda resaltada",
        },
        "caption": {
            "en": "Genes are carried on chromosomes; a change in one gene can "
            "cause a genetic condition.",
            "es": "Los genes se encuentran en los cromosomas; un cambio en un "
            "gen puede causar una afección genética.",
        },
    },
    "cells": {
        "alt": {
            "en": "Drawing of evenly spaced round cells beside a crowded "
            "cluster of irregular cells",
            "es": "Dibujo de células redondas y ordenadas junto a un grupo "
            "apiñado de células irregulares",
        },
        "caption": {
            "en": "Cancer starts when cells grow and divide out of control.",
            "es": "El cáncer comienza cuando las células crecen y se dividen "
            "sin control.",
        },
    },
    "kidneys": {
        "alt": {
            "en": "Simplified drawing of the two kidneys, the ureters and the bladder",
            "es": "Dibujo simplificado de los dos riñones, los uréteres y la vejiga",
        },
        "caption": {
            "en": "The urinary tract: the kidneys filter the blood and make "
            "urine, which the ureters carry to the bladder.",
            "es": "Las vías urinarias: los riñones filtran la sangre y producen "
            "la orina, que los uréteres llevan a la vejiga.",
        },
    },
    "digestive": {
        "alt": {
            "en": "Simplified drawing of the stomach and the intestines",
            "es": "Dibujo simplificado del estómago y los intestinos",
        },
        "caption": {
            "en": "The digestive system breaks food down so the body can use it.",
            "es": "El aparato digestivo descompone los alimentos para que el "
            "cuerpo pueda aprovecharlos.",
        },
    },
    "heart": {
        "alt": {
            "en": "Simplified drawing of the heart and its main blood vessels",
            "es": "Dibujo simplificado del corazón y sus vasos sanguíneos principales",
        },
        "caption": {
            "en": "The heart pumps blood through the arteries to the whole body.",
            "es": "El corazón bombea la sangre por las arterias a todo el cuerpo.",
        },
    },
    "brain": {
        "alt": {
            "en": "Simplified drawing of the brain seen from the side, with the "
            "spinal cord",
            "es": "Dibujo simplificado del cerebro visto de lado, con la médula "
            "espinal",
        },
        "caption": {
            "en": "The brain and nerves control movement, sensation and thought.",
            "es": "El cerebro y los nervios controlan el movimiento, las "
            "sensaciones y el pensamiento.",
        },
    },
    "body": {
        "alt": {
            "en": "Outline of a human figure",
            "es": "Silueta de una figura humana",
        },
        "caption": {
            "en": "Many conditions affect several parts of the body.",
            "es": "Muchas afecciones afectan a varias partes del cuerpo.",
        },
    },
}
ILLUSTRATION_CREDIT = "Illustration © Health Library demo team (generated sample)"
ILLUSTRATION_LICENCE = "CC BY 4.0"

#: Body-system category -> illustration; then by source organisation.
ILLUSTRATION_FOR_CATEGORY = {
    "nervous-system": "brain",
    "digestive-system": "digestive",
    "heart-and-blood-vessels": "heart",
    "kidneys-and-urinary-tract": "kidneys",
}
ILLUSTRATION_FOR_SOURCE = {"nci": "cells", "ghr": "chromosomes"}

#: What people write in the workflow.
SUBMIT_NOTES = [
    "First version, adapted from the source page.",
    "New article: please check the treatment section.",
    "Ready for medical review.",
]
CHANGE_REQUESTS = [
    "Please say in the summary who is most often affected.",
    "The treatment section needs a sentence on when to seek urgent care.",
    "Check the figures in the text against the source page before we publish.",
    "Please explain the inheritance pattern in plain language.",
]
REVISION_NOTE = "Summary rewritten from the opening of the article."
TRANSLATION_NOTE = "Translation ({language}) ready for review."
