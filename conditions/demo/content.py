"""Demo content for the health library: conditions, references, people.

Pure Python data with no Django imports, so it can be loaded by a management
command, a test or a script alike.

The Focal Dystonia page uses the facts of a public condition page (see
/work/shared/reference/seed-article.txt); its text is written fresh in plain
language. The other conditions use facts from MedlinePlus health-topic
summaries (courtesy of MedlinePlus from the National Library of Medicine), also
rewritten in our own words. The "icd10" values are ICD-10-CM codes.
"""

DISCLAIMER = {
    "en": (
        "We check our health content on a regular basis and update it when new, useful "
        "evidence becomes available. This information does not take the place of "
        "advice from a health professional. Talk with your doctor or another qualified "
        "health care provider before you start any new treatment, or if you have "
        "questions about a medical condition."
    ),
    "es": (
        "Revisamos nuestro contenido de salud con regularidad y lo actualizamos cuando "
        "hay pruebas nuevas y útiles. Esta información no reemplaza el consejo de un "
        "profesional de la salud. Hable con su médico u otro profesional de la salud "
        "calificado antes de comenzar cualquier tratamiento nuevo o si tiene preguntas "
        "sobre una afección médica."
    ),
}

CONTRIBUTORS = [
    {"key": "johnson", "name": "Cynthia M. Johnson", "credentials": "MA"},
    {"key": "ostrovsky", "name": "Daniel A. Ostrovsky", "credentials": "MD"},
    {"key": "rivera", "name": "Laura P. Rivera", "credentials": "RN"},
    {"key": "lindqvist", "name": "Erik J. Lindqvist", "credentials": "MPH"},
    {"key": "okafor", "name": "Grace N. Okafor", "credentials": "PharmD"},
]

CATEGORIES = [
    {
        "key": "nervous-system",
        "kind": "body_system",
        "name": {"en": "Brain and nerves", "es": "Cerebro y nervios"},
        "slug": {"en": "brain-and-nerves", "es": "cerebro-y-nervios"},
    },
    {
        "key": "digestive-system",
        "kind": "body_system",
        "name": {"en": "Digestive system", "es": "Aparato digestivo"},
        "slug": {"en": "digestive-system", "es": "aparato-digestivo"},
    },
    {
        "key": "neurology",
        "kind": "specialty",
        "name": {"en": "Neurology", "es": "Neurología"},
        "slug": {"en": "neurology", "es": "neurologia"},
    },
    {
        "key": "gastroenterology",
        "kind": "specialty",
        "name": {"en": "Gastroenterology", "es": "Gastroenterología"},
        "slug": {"en": "gastroenterology", "es": "gastroenterologia"},
    },
    {
        "key": "infectious-diseases",
        "kind": "specialty",
        "name": {"en": "Infectious diseases", "es": "Enfermedades infecciosas"},
        "slug": {"en": "infectious-diseases", "es": "enfermedades-infecciosas"},
    },
    {
        "key": "sleep-medicine",
        "kind": "specialty",
        "name": {"en": "Sleep medicine", "es": "Medicina del sueño"},
        "slug": {"en": "sleep-medicine", "es": "medicina-del-sueno"},
    },
]

# Structured citations. The first eight are the seed page's references, in its
# order and spelling (the seed spells the first author "Carrechio"; PubMed has
# "Carecchio").
REFERENCES = [
    {
        "key": "carrechio-2017",
        "authors": "Carrechio M, Mencacci NE",
        "title": "Emerging monogenic complex hyperkinetic disorders",
        "container": "Curr Neurol Neurosci Rep",
        "year": 2017,
        "volume": "17",
        "issue": "12",
        "pages": "97",
        "doi": "10.1007/s11910-017-0806-2",
        "pmid": "29086067",
        "url": "",
        "accessed": "",
    },
    {
        "key": "dynamed-cervical-dystonia",
        "authors": "",
        "title": "Cervical dystonia",
        "container": "EBSCO DynaMed website",
        "year": None,
        "volume": "",
        "issue": "",
        "pages": "",
        "doi": "",
        "pmid": "",
        "url": "https://www.dynamed.com/condition/cervical-dystonia",
        "accessed": "",
    },
    {
        "key": "cmdg-dystonia",
        "authors": "",
        "title": "Dystonia",
        "container": "The Canadian Movement Disorder Group website",
        "year": None,
        "volume": "",
        "issue": "",
        "pages": "",
        "doi": "",
        "pmid": "",
        "url": "http://www.cmdg.org/Movement_/dystonia/dystonia.htm",
        "accessed": "",
    },
    {
        "key": "mds-dystonia",
        "authors": "",
        "title": "Dystonia",
        "container": "International Parkinson Movement Disorder Society website",
        "year": None,
        "volume": "",
        "issue": "",
        "pages": "",
        "doi": "",
        "pmid": "",
        "url": "http://www.movementdisorders.org/MDS/About/Movement-Disorder-Overviews/Dystonia.htm",
        "accessed": "",
    },
    {
        "key": "ninds-dystonias",
        "authors": "",
        "title": "Dystonias fact sheet",
        "container": "National Institute of Neurological Disorders and Stroke website",
        "year": None,
        "volume": "",
        "issue": "",
        "pages": "",
        "doi": "",
        "pmid": "",
        "url": "https://www.ninds.nih.gov/dystonias-fact-sheet",
        "accessed": "",
    },
    {
        "key": "nord-meige",
        "authors": "",
        "title": "Meige Syndrome",
        "container": "National Organization for Rare Disorders",
        "year": None,
        "volume": "",
        "issue": "",
        "pages": "",
        "doi": "",
        "pmid": "",
        "url": "http://rarediseases.org/rare-diseases/meige-syndrome",
        "accessed": "",
    },
    {
        "key": "newby-2017",
        "authors": "Newby RE, Thorpe DE, et al",
        "title": "A history of dystonia: ancient to modern",
        "container": "Mov Disord Clin Pract",
        "year": 2017,
        "volume": "4",
        "issue": "4",
        "pages": "478-485",
        "doi": "10.1002/mdc3.12493",
        "pmid": "28920067",
        "url": "",
        "accessed": "",
    },
    {
        "key": "dmrf-what-is-dystonia",
        "authors": "",
        "title": "What is dystonia?",
        "container": "Dystonia Medical Research Foundation website",
        "year": None,
        "volume": "",
        "issue": "",
        "pages": "",
        "doi": "",
        "pmid": "",
        "url": "https://www.dystonia-foundation.org/what-is-dystonia",
        "accessed": "",
    },
    {
        "key": "medlineplus-abdominal-pain",
        "authors": "",
        "title": "Abdominal pain",
        "container": "MedlinePlus website",
        "year": None,
        "volume": "",
        "issue": "",
        "pages": "",
        "doi": "",
        "pmid": "",
        "url": "https://medlineplus.gov/abdominalpain.html",
        "accessed": "",
    },
    {
        "key": "medlineplus-es-abdominal-pain",
        "authors": "",
        "title": "Dolor abdominal",
        "container": "MedlinePlus en español",
        "year": None,
        "volume": "",
        "issue": "",
        "pages": "",
        "doi": "",
        "pmid": "",
        "url": "https://medlineplus.gov/spanish/abdominalpain.html",
        "accessed": "",
    },
    {
        "key": "medlineplus-bacterial-infections",
        "authors": "",
        "title": "Bacterial infections",
        "container": "MedlinePlus website",
        "year": None,
        "volume": "",
        "issue": "",
        "pages": "",
        "doi": "",
        "pmid": "",
        "url": "https://medlineplus.gov/bacterialinfections.html",
        "accessed": "",
    },
    {
        "key": "medlineplus-antibiotics",
        "authors": "",
        "title": "Antibiotics",
        "container": "MedlinePlus website",
        "year": None,
        "volume": "",
        "issue": "",
        "pages": "",
        "doi": "",
        "pmid": "",
        "url": "https://medlineplus.gov/antibiotics.html",
        "accessed": "",
    },
    {
        "key": "medlineplus-restless-legs",
        "authors": "",
        "title": "Restless legs",
        "container": "MedlinePlus website",
        "year": None,
        "volume": "",
        "issue": "",
        "pages": "",
        "doi": "",
        "pmid": "",
        "url": "https://medlineplus.gov/restlesslegs.html",
        "accessed": "",
    },
]

CONDITIONS = [
    # ------------------------------------------------------------------
    # Focal Dystonia (full page: seven sections, eight references, image)
    # ------------------------------------------------------------------
    {
        "key": "focal-dystonia",
        "title": {"en": "Focal Dystonia", "es": "Distonía focal"},
        "slug": {"en": "focal-dystonia", "es": "distonia-focal"},
        "also_called": {"en": ["FD", "Focal dystonias"], "es": ["Distonías focales"]},
        "summary": {
            "en": (
                "Focal dystonia makes muscles in one part of the body, such as the "
                "neck, eyes or hand, tighten or move on their own. Learn about causes "
                "and treatment."
            ),
            "es": (
                "La distonía focal hace que los músculos de una parte del cuerpo, como "
                "el cuello, los ojos o la mano, se contraigan solos. Conozca causas y "
                "tratamiento."
            ),
        },
        "mesh": "D020821",
        "icd10": "G24.9",
        "categories": ["nervous-system", "neurology"],
        "related": ["restless-legs-syndrome"],
        "sections": [
            {
                "kind": "definition",
                "heading": {
                    "en": "What is focal dystonia?",
                    "es": "¿Qué es la distonía focal?",
                },
                "body": {
                    "en": (
                        "<p>Focal dystonia is a movement disorder. It makes the "
                        "muscles in <strong>one part of the body</strong> tighten or "
                        "move when you do not want them to. This can cause twisting, "
                        "jerking, twitches or tics. The movements may be there all the "
                        "time, or they may come and go.</p>"
                        "<p>Each type is named for the part of the body it affects. "
                        "Common types are:</p>"
                        "<ul>"
                        "<li><strong>Blepharospasm</strong>: the eyelids twitch or "
                        "squeeze shut</li>"
                        "<li><strong>Cervical dystonia</strong>, also called spasmodic "
                        "torticollis: the neck</li>"
                        "<li><strong>Segmental cranial dystonia</strong>, also called "
                        "Meige syndrome: the eyes, jaw and tongue</li>"
                        "<li><strong>Oromandibular dystonia</strong>: the jaw</li>"
                        "<li><strong>Spasmodic dysphonia</strong>: the vocal cords, "
                        "which changes the voice</li>"
                        "<li><strong>Axial dystonia</strong>: the trunk, the middle "
                        "part of the body</li>"
                        "<li><strong>Hand or arm dystonia</strong>, such as writer's "
                        "cramp</li>"
                        "</ul>"
                        "<p>Treatment can help keep the symptoms under control.</p>"
                    ),
                    "es": (
                        "<p>La distonía focal es un trastorno del movimiento. Hace que "
                        "los músculos de <strong>una sola parte del cuerpo</strong> se "
                        "tensen o se muevan sin que usted lo quiera. Esto puede causar "
                        "torceduras, sacudidas, espasmos o tics. Los movimientos "
                        "pueden estar presentes todo el tiempo o aparecer y "
                        "desaparecer.</p>"
                        "<p>Cada tipo recibe su nombre según la parte del cuerpo que "
                        "afecta. Los tipos más comunes son:</p>"
                        "<ul>"
                        "<li><strong>Blefaroespasmo</strong>: los párpados tiemblan o "
                        "se cierran con fuerza</li>"
                        "<li><strong>Distonía cervical</strong>, también llamada "
                        "tortícolis espasmódica: el cuello</li>"
                        "<li><strong>Distonía craneal segmentaria</strong>, también "
                        "llamada síndrome de Meige: los ojos, la mandíbula y la "
                        "lengua</li>"
                        "<li><strong>Distonía oromandibular</strong>: la mandíbula</li>"
                        "<li><strong>Disfonía espasmódica</strong>: las cuerdas "
                        "vocales, lo que cambia la voz</li>"
                        "<li><strong>Distonía axial</strong>: el tronco, la parte "
                        "media del cuerpo</li>"
                        "<li><strong>Distonía de la mano o del brazo</strong>, como el "
                        "calambre del escritor</li>"
                        "</ul>"
                        "<p>El tratamiento puede ayudar a mantener los síntomas bajo "
                        "control.</p>"
                    ),
                },
            },
            {
                "kind": "causes",
                "heading": {"en": "Causes", "es": "Causas"},
                "body": {
                    "en": (
                        "<p>In most people, doctors cannot find a cause for focal "
                        "dystonia. The problem seems to be in the way the brain sends "
                        "messages to the muscles.</p>"
                        "<p>In some people, focal dystonia is linked to "
                        "<strong>genes</strong>. A change in a gene can be passed down "
                        "from a parent to a child.</p>"
                        "<p>Focal dystonia can also start after another health problem "
                        "or an injury that harms the brain or nerves, such as:</p>"
                        "<ul>"
                        "<li>Carbon monoxide poisoning</li>"
                        "<li>A stroke</li>"
                        "<li>A head injury</li>"
                        "<li>An infection of the brain</li>"
                        "<li>A reaction to certain medicines</li>"
                        "</ul>"
                    ),
                    "es": (
                        "<p>En la mayoría de las personas, los médicos no encuentran "
                        "la causa de la distonía focal. El problema parece estar en la "
                        "forma en que el cerebro envía mensajes a los músculos.</p>"
                        "<p>En algunas personas, la distonía focal está relacionada "
                        "con los <strong>genes</strong>. Un cambio en un gen puede "
                        "pasar de padres a hijos.</p>"
                        "<p>La distonía focal también puede comenzar después de otro "
                        "problema de salud o de una lesión que dañe el cerebro o los "
                        "nervios, como:</p>"
                        "<ul>"
                        "<li>Intoxicación por monóxido de carbono</li>"
                        "<li>Un derrame cerebral</li>"
                        "<li>Una lesión en la cabeza</li>"
                        "<li>Una infección del cerebro</li>"
                        "<li>Una reacción a ciertas medicinas</li>"
                        "</ul>"
                    ),
                },
            },
            {
                "kind": "risk_factors",
                "heading": {"en": "Risk factors", "es": "Factores de riesgo"},
                "body": {
                    "en": (
                        "<p>Focal dystonia is more common in people who:</p>"
                        "<ul>"
                        "<li>Have a parent, brother, sister or other relative who has "
                        "it</li>"
                        "<li>Have a health problem or injury that raises the risk, "
                        "such as the ones listed under causes</li>"
                        "</ul>"
                        "<p>Having a risk factor does not mean that you will get focal "
                        "dystonia. Many people with a risk factor never get it. Some "
                        "people who get it have no known risk factors. If you are "
                        "worried about your risk, talk with your doctor.</p>"
                    ),
                    "es": (
                        "<p>La distonía focal es más común en las personas que:</p>"
                        "<ul>"
                        "<li>Tienen un padre, una madre, un hermano, una hermana u "
                        "otro familiar que la tiene</li>"
                        "<li>Tienen un problema de salud o una lesión que aumenta el "
                        "riesgo, como los que aparecen en la sección de causas</li>"
                        "</ul>"
                        "<p>Tener un factor de riesgo no significa que usted vaya a "
                        "tener distonía focal. Muchas personas con un factor de riesgo "
                        "nunca la tienen. Algunas personas que la tienen no presentan "
                        "ningún factor de riesgo conocido. Si le preocupa su riesgo, "
                        "hable con su médico.</p>"
                    ),
                },
            },
            {
                "kind": "symptoms",
                "heading": {"en": "Symptoms", "es": "Síntomas"},
                "body": {
                    "en": (
                        "<p>The symptoms depend on which part of the body is affected. "
                        "They may include:</p>"
                        "<ul>"
                        "<li>Spasms of the eyelids</li>"
                        "<li>Fast blinking of both eyes that you cannot control</li>"
                        "<li>The neck twisting or turning to one side</li>"
                        "<li>Trouble writing, because the hand cramps or curls</li>"
                        "<li>Cramps in the foot</li>"
                        "<li>A foot that pulls to one side or drags</li>"
                        "<li>Shaking</li>"
                        "<li>Trouble speaking</li>"
                        "</ul>"
                        "<p>Symptoms may get worse when you are:</p>"
                        "<ul>"
                        "<li>Excited</li>"
                        "<li>Stressed</li>"
                        "<li>Talking</li>"
                        "<li>Tired</li>"
                        "</ul>"
                    ),
                    "es": (
                        "<p>Los síntomas dependen de la parte del cuerpo afectada. "
                        "Pueden incluir:</p>"
                        "<ul>"
                        "<li>Espasmos de los párpados</li>"
                        "<li>Parpadeo rápido de ambos ojos que usted no puede "
                        "controlar</li>"
                        "<li>El cuello se tuerce o gira hacia un lado</li>"
                        "<li>Dificultad para escribir, porque la mano se acalambra o "
                        "se encoge</li>"
                        "<li>Calambres en el pie</li>"
                        "<li>Un pie que se desvía hacia un lado o se arrastra</li>"
                        "<li>Temblores</li>"
                        "<li>Dificultad para hablar</li>"
                        "</ul>"
                        "<p>Los síntomas pueden empeorar cuando usted:</p>"
                        "<ul>"
                        "<li>Está emocionado</li>"
                        "<li>Tiene estrés</li>"
                        "<li>Está hablando</li>"
                        "<li>Está cansado</li>"
                        "</ul>"
                    ),
                },
            },
            {
                "kind": "diagnosis",
                "heading": {"en": "Diagnosis", "es": "Diagnóstico"},
                "body": {
                    "en": (
                        "<p>The doctor will ask about your symptoms and your past "
                        "health, and will examine you. You may be sent to a "
                        "<strong>neurologist</strong>. This is a doctor who treats "
                        "problems of the brain and nerves. The neurologist may check "
                        "your muscles, reflexes, balance and coordination.</p>"
                        "<p>No test can prove that you have focal dystonia. Tests are "
                        "done to rule out other problems that can cause the same "
                        "symptoms. You may have:</p>"
                        "<ul>"
                        "<li>Blood tests, urine tests and genetic tests</li>"
                        "<li>A lumbar puncture, also called a spinal tap, to check the "
                        "fluid around the brain and spinal cord</li>"
                        "<li>An <strong>electromyogram (EMG)</strong> and nerve "
                        "studies to measure the electrical activity of the muscles and "
                        "nerves</li>"
                        "<li>An <strong>electroencephalogram (EEG)</strong> to measure "
                        "the electrical activity of the brain</li>"
                        "<li>An <strong>MRI scan</strong> or a <strong>CT "
                        "scan</strong> to take pictures of the head</li>"
                        "</ul>"
                    ),
                    "es": (
                        "<p>El médico le preguntará sobre sus síntomas y sus "
                        "antecedentes de salud, y le hará un examen físico. Es posible "
                        "que lo envíen a un <strong>neurólogo</strong>. Es un médico "
                        "que trata los problemas del cerebro y los nervios. El "
                        "neurólogo puede revisar sus músculos, reflejos, equilibrio y "
                        "coordinación.</p>"
                        "<p>No hay ninguna prueba que confirme la distonía focal. "
                        "Las pruebas se hacen para descartar otros problemas "
                        "que pueden causar los mismos síntomas. Es posible que le "
                        "hagan:</p>"
                        "<ul>"
                        "<li>Análisis de sangre, análisis de orina y pruebas "
                        "genéticas</li>"
                        "<li>Una punción lumbar para revisar el líquido que rodea el "
                        "cerebro y la médula espinal</li>"
                        "<li>Una <strong>electromiografía (EMG)</strong> y estudios de "
                        "los nervios para medir la actividad eléctrica de los músculos "
                        "y los nervios</li>"
                        "<li>Un <strong>electroencefalograma (EEG)</strong> para medir "
                        "la actividad eléctrica del cerebro</li>"
                        "<li>Una <strong>resonancia magnética (RM)</strong> o una "
                        "<strong>tomografía computarizada (TC)</strong> para tomar "
                        "imágenes de la cabeza</li>"
                        "</ul>"
                    ),
                },
            },
            {
                "kind": "treatment",
                "heading": {"en": "Treatment", "es": "Tratamiento"},
                "body": {
                    "en": (
                        "<p>The goal of treatment is to control the symptoms. Options "
                        "are:</p>"
                        "<h3>Injections</h3>"
                        "<p><strong>Botulinum toxin</strong> can be injected into the "
                        "muscles that spasm. It weakens these muscles so they tighten "
                        "less.</p>"
                        "<h3>Medicines</h3>"
                        "<p>You may take one medicine or more than one, such as:</p>"
                        "<ul>"
                        "<li>Pain medicine, either over the counter or by "
                        "prescription</li>"
                        "<li>Anticholinergics</li>"
                        "<li>Benzodiazepines</li>"
                        "<li>Dopaminergic medicines, which act like dopamine, a "
                        "chemical in the brain</li>"
                        "<li>Medicines that lower the amount of dopamine</li>"
                        "<li>Antiseizure medicines</li>"
                        "</ul>"
                        "<h3>Surgery</h3>"
                        "<p>If other treatments do not help enough, surgery may be "
                        "done to:</p>"
                        "<ul>"
                        "<li>Cut the nerves that lead to the affected muscles, or "
                        "remove the muscles</li>"
                        "<li>Destroy the small area in the brain where the dystonia "
                        "starts</li>"
                        "<li>Place electrodes in the brain to help control muscle "
                        "movements. This is called <strong>deep brain "
                        "stimulation</strong>.</li>"
                        "</ul>"
                    ),
                    "es": (
                        "<p>El objetivo del tratamiento es controlar los síntomas. Las "
                        "opciones son:</p>"
                        "<h3>Inyecciones</h3>"
                        "<p>La <strong>toxina botulínica</strong> se puede inyectar en "
                        "los músculos que tienen espasmos. Debilita estos músculos "
                        "para que se contraigan menos.</p>"
                        "<h3>Medicinas</h3>"
                        "<p>Es posible que tome una o más medicinas, como:</p>"
                        "<ul>"
                        "<li>Analgésicos, de venta libre o con receta médica</li>"
                        "<li>Anticolinérgicos</li>"
                        "<li>Benzodiazepinas</li>"
                        "<li>Medicinas dopaminérgicas, que actúan como la dopamina, "
                        "una sustancia química del cerebro</li>"
                        "<li>Medicinas que reducen la cantidad de dopamina</li>"
                        "<li>Medicinas anticonvulsivas</li>"
                        "</ul>"
                        "<h3>Cirugía</h3>"
                        "<p>Si otros tratamientos no ayudan lo suficiente, se puede "
                        "hacer una cirugía para:</p>"
                        "<ul>"
                        "<li>Cortar los nervios que llegan a los músculos afectados o "
                        "quitar los músculos</li>"
                        "<li>Destruir la pequeña zona del cerebro donde se origina la "
                        "distonía</li>"
                        "<li>Colocar electrodos en el cerebro para ayudar a controlar "
                        "los movimientos de los músculos. Esto se llama "
                        "<strong>estimulación cerebral profunda</strong>.</li>"
                        "</ul>"
                    ),
                },
            },
            {
                "kind": "prevention",
                "heading": {"en": "Prevention", "es": "Prevención"},
                "body": {
                    "en": (
                        "<p>There are no known guidelines to prevent focal dystonia. "
                        "Experts have not found steps that lower the chance of getting "
                        "it.</p>"
                        "<p>If you notice muscle movements that you cannot control, "
                        "such as a twisting neck, a hand that cramps when you write, "
                        "or eyes that blink too much, see your doctor. Treatment can "
                        "help you manage the symptoms.</p>"
                        "<p>If dystonia runs in your family, ask your doctor about "
                        "genetic counseling. A genetic counselor can explain your "
                        "chances of having it or passing it on to your children.</p>"
                    ),
                    "es": (
                        "<p>No se conocen pautas para prevenir la distonía focal. Los "
                        "expertos no han encontrado medidas que reduzcan la "
                        "probabilidad de tenerla.</p>"
                        "<p>Si nota movimientos musculares que no puede controlar, "
                        "como el cuello que se tuerce, una mano que se acalambra al "
                        "escribir u ojos que parpadean demasiado, consulte a su "
                        "médico. El tratamiento puede ayudarle a controlar los "
                        "síntomas.</p>"
                        "<p>Si en su familia hay casos de distonía, pregúntele a su "
                        "médico sobre el asesoramiento genético. Un asesor en genética "
                        "puede explicarle la probabilidad de que usted la tenga o se "
                        "la transmita a sus hijos.</p>"
                    ),
                },
            },
        ],
        "references": [
            "carrechio-2017",
            "dynamed-cervical-dystonia",
            "cmdg-dystonia",
            "mds-dystonia",
            "ninds-dystonias",
            "nord-meige",
            "newby-2017",
            "dmrf-what-is-dystonia",
        ],
        "images": [
            {
                "file": "focal-dystonia-hand.png",
                "section": "symptoms",
                "alt": {
                    "en": (
                        "Drawing of a hand writing on lined paper. The fingers are "
                        "curled tightly around the pen and the wrist is bent. Short "
                        "red marks around the hand show the muscle cramp. The "
                        "handwriting starts as neat, even loops and becomes small and "
                        "jagged near the pen."
                    ),
                    "es": (
                        "Dibujo de una mano que escribe en una hoja rayada. Los dedos "
                        "están encogidos con fuerza alrededor del bolígrafo y la "
                        "muñeca está doblada. Unas rayas rojas cortas alrededor de la "
                        "mano muestran el calambre muscular. La letra empieza con "
                        "bucles ordenados y parejos, y se vuelve pequeña e irregular "
                        "cerca del bolígrafo."
                    ),
                },
                "caption": {
                    "en": (
                        "Writer's cramp is a focal dystonia of the hand. The muscles "
                        "tighten on their own during writing, and handwriting can "
                        "become small and shaky."
                    ),
                    "es": (
                        "El calambre del escritor es una distonía focal de la mano. "
                        "Los músculos se contraen solos al escribir y la letra puede "
                        "volverse pequeña y temblorosa."
                    ),
                },
                "credit": "Illustration © 2026 Health Library demo team",
                "licence": "CC BY 4.0",
                "licence_expires": "",
            },
        ],
        "contributors": [["johnson", "author"], ["ostrovsky", "medical_reviewer"]],
    },
    # ------------------------------------------------------------------
    # Abdominal Pain
    # ------------------------------------------------------------------
    {
        "key": "abdominal-pain",
        "title": {"en": "Abdominal Pain", "es": "Dolor abdominal"},
        "slug": {"en": "abdominal-pain", "es": "dolor-abdominal"},
        "also_called": {
            "en": ["Bellyache", "Stomach ache"],
            "es": ["Dolor de barriga", "Dolor de estómago", "Dolor de panza"],
        },
        "summary": {
            "en": (
                "Abdominal pain is pain anywhere between the chest and the groin. "
                "Learn about common causes, home care and when to get medical help."
            ),
            "es": (
                "El dolor abdominal es un dolor entre el pecho y la ingle. Conozca las "
                "causas comunes, los cuidados en casa y cuándo buscar ayuda médica."
            ),
        },
        "mesh": "D015746",
        "icd10": "R10.9",
        "categories": ["digestive-system", "gastroenterology"],
        "related": ["bacterial-infections"],
        "sections": [
            {
                "kind": "definition",
                "heading": {
                    "en": "What is abdominal pain?",
                    "es": "¿Qué es el dolor abdominal?",
                },
                "body": {
                    "en": (
                        "<p>Your abdomen, or belly, is the area between your chest and "
                        "your groin. Many people call it the stomach, but it holds "
                        "many other organs too, such as the intestines, liver, "
                        "gallbladder and pancreas. Pain can come from any of them.</p>"
                        "<p>Sometimes the pain starts somewhere else, such as in the "
                        "chest, and is felt in the belly. How bad the pain feels does "
                        "not always show how serious the problem is. Very bad pain can "
                        "come from something minor, and mild pain can be a sign of "
                        "something serious.</p>"
                    ),
                    "es": (
                        "<p>El abdomen, o barriga, es la zona que va desde abajo del "
                        "pecho hasta la ingle. Muchas personas lo llaman estómago, "
                        "pero también contiene muchos otros órganos, como los "
                        "intestinos, el hígado, la vesícula biliar y el páncreas. El "
                        "dolor puede venir de cualquiera de ellos.</p>"
                        "<p>A veces el dolor empieza en otro lugar, como el pecho, y "
                        "se siente en la barriga. La intensidad del dolor no siempre "
                        "indica qué tan grave es el problema. Un dolor muy fuerte "
                        "puede deberse a algo leve, y un dolor leve puede ser señal de "
                        "algo grave.</p>"
                    ),
                },
            },
            {
                "kind": "causes",
                "heading": {"en": "Causes", "es": "Causas"},
                "body": {
                    "en": (
                        "<p>Most belly pain is caused by something that is not serious "
                        "and goes away on its own. Common causes include:</p>"
                        "<ul>"
                        "<li>Gas or constipation</li>"
                        "<li>Indigestion or heartburn</li>"
                        "<li>A stomach virus or food poisoning</li>"
                        "<li>Menstrual cramps</li>"
                        "</ul>"
                        "<p>Some causes need medical care right away, such as "
                        "appendicitis, gallstones, kidney stones or a blocked "
                        "bowel.</p>"
                    ),
                    "es": (
                        "<p>La mayoría de los dolores de barriga se deben a algo que "
                        "no es grave y que desaparece por sí solo. Algunas causas "
                        "comunes son:</p>"
                        "<ul>"
                        "<li>Gases o estreñimiento</li>"
                        "<li>Indigestión o acidez estomacal</li>"
                        "<li>Un virus estomacal o una intoxicación alimentaria</li>"
                        "<li>Cólicos menstruales</li>"
                        "</ul>"
                        "<p>Algunas causas necesitan atención médica de inmediato, "
                        "como la apendicitis, los cálculos biliares, los cálculos "
                        "renales o una obstrucción intestinal.</p>"
                    ),
                },
            },
            {
                "kind": "treatment",
                "heading": {"en": "Care at home", "es": "Cuidados en casa"},
                "body": {
                    "en": (
                        "<p>Treatment depends on the cause. For mild pain, these steps "
                        "may help:</p>"
                        "<ul>"
                        "<li>Take small sips of water or other clear liquids.</li>"
                        "<li>Skip solid food for the first few hours.</li>"
                        "<li>When you eat again, start with small amounts of bland "
                        "food.</li>"
                        "<li>Stay away from greasy or fried food, caffeine, alcohol "
                        "and fizzy drinks until you feel better.</li>"
                        "</ul>"
                        "<p>Do not take medicine for the pain before you talk with "
                        "your health care provider. Some pain relievers can upset the "
                        "stomach or hide signs of a serious problem.</p>"
                    ),
                    "es": (
                        "<p>El tratamiento depende de la causa. Si el dolor es leve, "
                        "estas medidas pueden ayudar:</p>"
                        "<ul>"
                        "<li>Tome pequeños sorbos de agua u otros líquidos claros.</li>"
                        "<li>No coma alimentos sólidos durante las primeras horas.</li>"
                        "<li>Cuando vuelva a comer, empiece con pequeñas cantidades de "
                        "comida suave.</li>"
                        "<li>Evite la comida grasosa o frita, la cafeína, el alcohol y "
                        "las bebidas gaseosas hasta que se sienta mejor.</li>"
                        "</ul>"
                        "<p>No tome medicinas para el dolor antes de hablar con su "
                        "profesional de la salud. Algunos analgésicos pueden irritar "
                        "el estómago u ocultar señales de un problema grave.</p>"
                    ),
                },
            },
            {
                "kind": "when_to_see_doctor",
                "heading": {
                    "en": "When to get medical help",
                    "es": "Cuándo buscar ayuda médica",
                },
                "body": {
                    "en": (
                        "<p>Call your health care provider if mild pain lasts a week "
                        "or longer, or if you have other symptoms along with the "
                        "pain.</p>"
                        "<p><strong>Get medical help right away</strong> if:</p>"
                        "<ul>"
                        "<li>The pain is sudden and sharp</li>"
                        "<li>You also have pain in your chest, neck or shoulder</li>"
                        "<li>You are throwing up blood or have blood in your stool</li>"
                        "<li>Your belly is stiff, hard and sore when touched</li>"
                        "<li>You cannot have a bowel movement, especially if you are "
                        "also throwing up</li>"
                        "</ul>"
                    ),
                    "es": (
                        "<p>Llame a su profesional de la salud si el dolor leve dura "
                        "una semana o más, o si tiene otros síntomas además del "
                        "dolor.</p>"
                        "<p><strong>Busque ayuda médica de inmediato</strong> si:</p>"
                        "<ul>"
                        "<li>El dolor es repentino e intenso</li>"
                        "<li>También tiene dolor en el pecho, el cuello o el "
                        "hombro</li>"
                        "<li>Vomita sangre o tiene sangre en las heces</li>"
                        "<li>Tiene la barriga rígida, dura y adolorida al tocarla</li>"
                        "<li>No puede evacuar el intestino, sobre todo si además tiene "
                        "vómitos</li>"
                        "</ul>"
                    ),
                },
            },
        ],
        "references": ["medlineplus-abdominal-pain", "medlineplus-es-abdominal-pain"],
        "images": [],
        "contributors": [["rivera", "author"], ["okafor", "medical_reviewer"]],
    },
    # ------------------------------------------------------------------
    # Bacterial Infections
    # ------------------------------------------------------------------
    {
        "key": "bacterial-infections",
        "title": {"en": "Bacterial Infections", "es": "Infecciones bacterianas"},
        "slug": {"en": "bacterial-infections", "es": "infecciones-bacterianas"},
        "also_called": {
            "en": ["Bacterial diseases", "Bacterial infection"],
            "es": ["Enfermedades bacterianas", "Infección bacteriana"],
        },
        "summary": {
            "en": (
                "Some bacteria can make you sick. Learn how bacterial infections "
                "happen, how antibiotics treat them and how to lower your chance of "
                "getting one."
            ),
            "es": (
                "Algunas bacterias pueden enfermarlo. Conozca cómo ocurren las "
                "infecciones bacterianas, cómo se tratan con antibióticos y cómo "
                "prevenirlas."
            ),
        },
        "mesh": "D001424",
        "icd10": "A49.9",
        "categories": ["infectious-diseases"],
        "related": ["abdominal-pain"],
        "sections": [
            {
                "kind": "definition",
                "heading": {
                    "en": "What are bacterial infections?",
                    "es": "¿Qué son las infecciones bacterianas?",
                },
                "body": {
                    "en": (
                        "<p>Bacteria are tiny living things made of just one cell. "
                        "They are so small that you need a microscope to see them. "
                        "Under a microscope, they look like balls, rods or spirals.</p>"
                        "<p>Most bacteria are harmless, and fewer than 1 in 100 kinds "
                        "make people sick. A bacterial infection happens when harmful "
                        "bacteria get into your body and start to grow there.</p>"
                    ),
                    "es": (
                        "<p>Las bacterias son seres vivos diminutos formados por una "
                        "sola célula. Son tan pequeñas que se necesita un microscopio "
                        "para verlas. Al microscopio, parecen bolitas, bastones o "
                        "espirales.</p>"
                        "<p>La mayoría de las bacterias son inofensivas, y menos de 1 "
                        "de cada 100 tipos enferma a las personas. Una infección "
                        "bacteriana ocurre cuando bacterias dañinas entran en el "
                        "cuerpo y empiezan a multiplicarse.</p>"
                    ),
                },
            },
            {
                "kind": "causes",
                "heading": {
                    "en": "How bacteria make you sick",
                    "es": "Cómo las bacterias lo enferman",
                },
                "body": {
                    "en": (
                        "<p>Harmful bacteria can multiply very fast inside your body. "
                        "Many of them release poisons called <strong>toxins</strong>. "
                        "Toxins can damage your tissues and make you feel ill.</p>"
                        "<p>Some well-known bacteria that cause infections are:</p>"
                        "<ul>"
                        "<li><em>Streptococcus</em>, which can cause strep throat</li>"
                        "<li><em>Staphylococcus</em>, which can cause skin "
                        "infections</li>"
                        "<li><em>E. coli</em>, which can cause stomach and urinary "
                        "tract infections</li>"
                        "</ul>"
                    ),
                    "es": (
                        "<p>Las bacterias dañinas pueden multiplicarse muy rápido "
                        "dentro del cuerpo. Muchas de ellas liberan sustancias "
                        "venenosas llamadas <strong>toxinas</strong>. Las toxinas "
                        "pueden dañar los tejidos y hacer que usted se sienta "
                        "enfermo.</p>"
                        "<p>Algunas bacterias conocidas que causan infecciones son:</p>"
                        "<ul>"
                        "<li><em>Streptococcus</em>, que puede causar faringitis "
                        "estreptocócica</li>"
                        "<li><em>Staphylococcus</em>, que puede causar infecciones de "
                        "la piel</li>"
                        "<li><em>E. coli</em>, que puede causar infecciones del "
                        "estómago y de las vías urinarias</li>"
                        "</ul>"
                    ),
                },
            },
            {
                "kind": "treatment",
                "heading": {"en": "Treatment", "es": "Tratamiento"},
                "body": {
                    "en": (
                        "<p>Bacterial infections are usually treated with "
                        "<strong>antibiotics</strong>. When you take them:</p>"
                        "<ul>"
                        "<li>Follow the directions on the label exactly.</li>"
                        "<li>Take every dose, even if you start to feel better.</li>"
                        "<li>Do not save antibiotics for later or share them with "
                        "others.</li>"
                        "</ul>"
                        "<p>Each time you take antibiotics, the bacteria in your body "
                        "have a chance to learn to resist them. Later, you could get "
                        "or spread an infection that those antibiotics can no longer "
                        "cure. Antibiotics do not work against viruses, such as the "
                        "ones that cause colds and the flu.</p>"
                    ),
                    "es": (
                        "<p>Las infecciones bacterianas suelen tratarse con "
                        "<strong>antibióticos</strong>. Cuando los tome:</p>"
                        "<ul>"
                        "<li>Siga al pie de la letra las instrucciones de la "
                        "etiqueta.</li>"
                        "<li>Tome todas las dosis, aunque empiece a sentirse "
                        "mejor.</li>"
                        "<li>No guarde antibióticos para después ni los comparta con "
                        "otras personas.</li>"
                        "</ul>"
                        "<p>Cada vez que toma antibióticos, las bacterias de su cuerpo "
                        "tienen la oportunidad de aprender a resistirlos. Más "
                        "adelante, usted podría contraer o contagiar una infección que "
                        "esos antibióticos ya no pueden curar. Los antibióticos no "
                        "sirven contra los virus, como los que causan el resfriado y "
                        "la gripe.</p>"
                    ),
                },
            },
            {
                "kind": "prevention",
                "heading": {"en": "Prevention", "es": "Prevención"},
                "body": {
                    "en": (
                        "<p>You can lower your chance of getting a bacterial infection "
                        "if you:</p>"
                        "<ul>"
                        "<li>Wash your hands often with soap and water</li>"
                        "<li>Keep cuts and scrapes clean and covered</li>"
                        "<li>Cook meat and eggs well and keep raw food apart from "
                        "cooked food</li>"
                        "<li>Stay up to date on your vaccines</li>"
                        "<li>Do not share towels, razors or other personal items</li>"
                        "</ul>"
                    ),
                    "es": (
                        "<p>Usted puede reducir la probabilidad de contraer una "
                        "infección bacteriana si:</p>"
                        "<ul>"
                        "<li>Se lava las manos a menudo con agua y jabón</li>"
                        "<li>Mantiene limpios y cubiertos los cortes y raspones</li>"
                        "<li>Cocina bien la carne y los huevos, y separa los alimentos "
                        "crudos de los cocidos</li>"
                        "<li>Mantiene sus vacunas al día</li>"
                        "<li>No comparte toallas, rasuradoras ni otros objetos "
                        "personales</li>"
                        "</ul>"
                    ),
                },
            },
            {
                "kind": "other",
                "heading": {"en": "Helpful bacteria", "es": "Bacterias beneficiosas"},
                "body": {
                    "en": (
                        "<p>Many bacteria are good for you. Some live in your gut and "
                        "help you digest food. Others help destroy cells that cause "
                        "disease, or give your body vitamins it needs. Bacteria are "
                        "also used to make healthy foods such as yogurt and cheese.</p>"
                    ),
                    "es": (
                        "<p>Muchas bacterias son buenas para usted. Algunas viven en "
                        "el intestino y ayudan a digerir los alimentos. Otras ayudan a "
                        "destruir células que causan enfermedades o le dan al cuerpo "
                        "vitaminas que necesita. Las bacterias también se usan para "
                        "hacer alimentos saludables como el yogur y el queso.</p>"
                    ),
                },
            },
        ],
        "references": ["medlineplus-bacterial-infections", "medlineplus-antibiotics"],
        "images": [],
        "contributors": [["lindqvist", "author"], ["ostrovsky", "medical_reviewer"]],
    },
    # ------------------------------------------------------------------
    # Restless Legs Syndrome
    # ------------------------------------------------------------------
    {
        "key": "restless-legs-syndrome",
        "title": {
            "en": "Restless Legs Syndrome",
            "es": "Síndrome de piernas inquietas",
        },
        "slug": {"en": "restless-legs-syndrome", "es": "sindrome-de-piernas-inquietas"},
        "also_called": {
            "en": ["RLS", "Willis-Ekbom disease"],
            "es": ["SPI", "Enfermedad de Willis-Ekbom"],
        },
        "summary": {
            "en": (
                "Restless legs syndrome causes a strong urge to move your legs, often "
                "at rest or at night. Learn about causes, self-care and treatment."
            ),
            "es": (
                "El síndrome de piernas inquietas causa un fuerte deseo de mover las "
                "piernas, a menudo en reposo o de noche. Conozca causas y tratamiento."
            ),
        },
        "mesh": "D012148",
        "icd10": "G25.81",
        "categories": ["nervous-system", "neurology", "sleep-medicine"],
        "related": ["focal-dystonia"],
        "sections": [
            {
                "kind": "definition",
                "heading": {
                    "en": "What is restless legs syndrome?",
                    "es": "¿Qué es el síndrome de piernas inquietas?",
                },
                "body": {
                    "en": (
                        "<p>Restless legs syndrome (RLS) gives you a strong urge to "
                        "move your legs. Your legs feel uncomfortable when you sit or "
                        "lie down. People describe the feeling as creeping, crawling, "
                        "tingling or burning.</p>"
                        "<p>Moving your legs makes them feel better, but the relief "
                        "does not last long. Because the feeling is often worse at "
                        "night, RLS can make it hard to sleep.</p>"
                    ),
                    "es": (
                        "<p>El síndrome de piernas inquietas (SPI) le da un fuerte "
                        "deseo de mover las piernas. Las piernas se sienten incómodas "
                        "cuando usted está sentado o acostado. Las personas lo "
                        "describen como una sensación de hormigueo, ardor o de algo "
                        "que se arrastra o trepa por las piernas.</p>"
                        "<p>Mover las piernas las alivia, pero el alivio dura poco. "
                        "Como la sensación suele empeorar de noche, el SPI puede "
                        "dificultar el sueño.</p>"
                    ),
                },
            },
            {
                "kind": "causes",
                "heading": {"en": "Causes", "es": "Causas"},
                "body": {
                    "en": (
                        "<p>Most of the time, there is no known cause for RLS. In "
                        "other cases, it is caused by another condition, such as:</p>"
                        "<ul>"
                        "<li>Anemia, which means having too few healthy red blood "
                        "cells</li>"
                        "<li>Pregnancy</li>"
                        "</ul>"
                        "<p>Some medicines can also cause RLS for a short time. "
                        "Caffeine, tobacco and alcohol may make the symptoms worse.</p>"
                    ),
                    "es": (
                        "<p>En la mayoría de los casos, no se conoce la causa del SPI. "
                        "En otros casos, se debe a otra afección, como:</p>"
                        "<ul>"
                        "<li>La anemia, que es tener muy pocos glóbulos rojos "
                        "sanos</li>"
                        "<li>El embarazo</li>"
                        "</ul>"
                        "<p>Algunas medicinas también pueden causar SPI por un tiempo "
                        "corto. La cafeína, el tabaco y el alcohol pueden empeorar los "
                        "síntomas.</p>"
                    ),
                },
            },
            {
                "kind": "living_with",
                "heading": {"en": "Self-care", "es": "Cuidados personales"},
                "body": {
                    "en": (
                        "<p>Changes in daily habits can ease symptoms for many "
                        "people:</p>"
                        "<ul>"
                        "<li>Go to bed and get up at the same times every day.</li>"
                        "<li>Try relaxation methods, such as deep breathing or "
                        "stretching, before bed.</li>"
                        "<li>Get moderate exercise during the day.</li>"
                        "<li>Cut back on caffeine, tobacco and alcohol.</li>"
                        "</ul>"
                    ),
                    "es": (
                        "<p>Algunos cambios en los hábitos diarios pueden aliviar los "
                        "síntomas de muchas personas:</p>"
                        "<ul>"
                        "<li>Acuéstese y levántese a la misma hora todos los días.</li>"
                        "<li>Pruebe técnicas de relajación, como la respiración "
                        "profunda o los estiramientos, antes de dormir.</li>"
                        "<li>Haga ejercicio moderado durante el día.</li>"
                        "<li>Reduzca la cafeína, el tabaco y el alcohol.</li>"
                        "</ul>"
                    ),
                },
            },
            {
                "kind": "treatment",
                "heading": {"en": "Treatment", "es": "Tratamiento"},
                "body": {
                    "en": (
                        "<p>If changes in daily habits do not help enough, your doctor "
                        "may suggest medicine to ease the symptoms. If another "
                        "condition, such as anemia, is causing RLS, treating that "
                        "condition may help too.</p>"
                    ),
                    "es": (
                        "<p>Si los cambios en los hábitos diarios no ayudan lo "
                        "suficiente, su médico puede recomendarle medicinas para "
                        "aliviar los síntomas. Si otra afección, como la anemia, causa "
                        "el SPI, tratar esa afección también puede ayudar.</p>"
                    ),
                },
            },
        ],
        "references": ["medlineplus-restless-legs"],
        "images": [],
        "contributors": [["rivera", "author"], ["okafor", "medical_reviewer"]],
    },
]
