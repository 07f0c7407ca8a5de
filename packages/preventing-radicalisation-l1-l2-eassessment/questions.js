/* Questions for 297 Preventing Radicalisation - Levels 1 & 2 - eAssessment, marked by shared/assessment.js. */
window.ASSESSMENT_QUESTIONS = [
  {
    id: 'prevent-aim',
    text: 'What is the aim of Prevent?',
    options: [
      { id: 'a', text: 'To stop people from becoming terrorists or supporting terrorism' },
      { id: 'b', text: 'To investigate and prosecute people after a terrorist attack' },
      { id: 'c', text: 'To monitor members of particular faith groups' },
      { id: 'd', text: 'To decide who may enter the country' }
    ],
    answer: 'a'
  },
  {
    id: 'prevent-ideologies',
    text: 'Which forms of terrorism does Prevent cover?',
    options: [
      { id: 'a', text: 'Only Islamist terrorism' },
      { id: 'b', text: 'Only extreme right-wing terrorism' },
      { id: 'c', text: 'Only terrorism that happens outside the UK' },
      { id: 'd', text: 'All forms, whatever the ideology' }
    ],
    answer: 'd'
  },
  {
    id: 'prevent-concern',
    text: 'A patient you care for regularly has started praising violence against a group of people and showing you extremist videos. What should you do?',
    options: [
      { id: 'a', text: 'Ignore it, because patients\' views are private' },
      { id: 'b', text: 'Challenge the patient and tell them you will report them to the police' },
      { id: 'c', text: 'Discuss your concern with your Prevent lead or safeguarding team, following your local procedure' },
      { id: 'd', text: 'Search the patient\'s belongings for evidence' }
    ],
    answer: 'c'
  },
  {
    id: 'prevent-channel',
    text: 'Which statement about Channel is true?',
    options: [
      { id: 'a', text: 'It gives the person a criminal record' },
      { id: 'b', text: 'It is a voluntary, multi-agency programme that offers tailored support' },
      { id: 'c', text: 'It is only for people who have already committed a crime' },
      { id: 'd', text: 'It can only be joined by people over 25' }
    ],
    answer: 'b'
  },
  {
    id: 'prevent-immediate',
    text: 'You believe someone is about to carry out an attack and people are in immediate danger. What should you do?',
    options: [
      { id: 'a', text: 'Call 999' },
      { id: 'b', text: 'Email your Prevent lead and wait for a reply' },
      { id: 'c', text: 'Write it in your notes for the next shift' },
      { id: 'd', text: 'Ask the person what they are planning' }
    ],
    answer: 'a'
  }
];
