/* Questions for 297 Infection Prevention and Control - Level 1 - eAssessment, marked by shared/assessment.js. */
window.ASSESSMENT_QUESTIONS = [
  {
    id: 'ipc-most-important',
    text: 'What is the single most important way to prevent the spread of infection?',
    options: [
      { id: 'a', text: 'Wearing gloves for every task' },
      { id: 'b', text: 'Cleaning your hands at the right moments' },
      { id: 'c', text: 'Opening windows on the ward' },
      { id: 'd', text: 'Wearing a mask at all times' }
    ],
    answer: 'b'
  },
  {
    id: 'ipc-soap-and-water',
    text: 'When should you clean your hands with soap and water rather than alcohol-based hand rub?',
    options: [
      { id: 'a', text: 'Only at the start and end of your shift' },
      { id: 'b', text: 'Whenever your hands look clean' },
      { id: 'c', text: 'When your hands are visibly dirty, or when caring for someone with diarrhoea or vomiting' },
      { id: 'd', text: 'Never: hand rub is always enough' }
    ],
    answer: 'c'
  },
  {
    id: 'ipc-gloves',
    text: 'Which statement about disposable gloves is true?',
    options: [
      { id: 'a', text: 'Gloves do not replace hand hygiene: clean your hands after taking them off' },
      { id: 'b', text: 'One pair of gloves can be used for several patients if they look clean' },
      { id: 'c', text: 'Wearing gloves means you do not need to clean your hands' },
      { id: 'd', text: 'Gloves should be washed and reused' }
    ],
    answer: 'a'
  },
  {
    id: 'ipc-sharps',
    text: 'What should happen to a used needle?',
    options: [
      { id: 'a', text: 'Re-sheath it, then put it in the clinical waste bag' },
      { id: 'b', text: 'Leave it on the tray for someone else to clear' },
      { id: 'c', text: 'Put it in the general waste bin' },
      { id: 'd', text: 'The person who used it disposes of it straight away in a sharps container, without re-sheathing' }
    ],
    answer: 'd'
  },
  {
    id: 'ipc-sharps-injury',
    text: 'You prick your finger on a used needle. What should you do?',
    options: [
      { id: 'a', text: 'Suck the wound, then carry on working' },
      { id: 'b', text: 'Encourage it to bleed, wash it under running water, cover it and report it straight away' },
      { id: 'c', text: 'Scrub it hard with a nail brush and say nothing' },
      { id: 'd', text: 'Wait until the end of the week to see whether you feel unwell' }
    ],
    answer: 'b'
  }
];
