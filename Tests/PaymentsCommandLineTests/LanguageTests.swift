import PaymentsCommandLine
import Testing

@Suite("Message language")
struct LanguageTests {
    @Test(
        "locale variables pick the language",
        arguments: [
            ([String: String](), Language.english),
            (["LANG": "es_ES.UTF-8"], .spanish),
            (["LANG": "es"], .spanish),
            (["LANG": "ES_mx"], .spanish),
            (["LANG": "en_US.UTF-8"], .english),
            (["LANG": "C.UTF-8"], .english),
            (["LANG": "POSIX"], .english),
            (["LC_MESSAGES": "es_MX.UTF-8", "LANG": "en_US.UTF-8"], .spanish),
            (["LC_ALL": "C", "LC_MESSAGES": "es_ES.UTF-8", "LANG": "es_ES.UTF-8"], .english),
            (["LC_ALL": "es_AR.UTF-8", "LANG": "en_GB.UTF-8"], .spanish),
            (["LC_ALL": "", "LC_MESSAGES": "", "LANG": "es_ES.UTF-8"], .spanish),
            (["LC_CTYPE": "es_ES.UTF-8"], .english),
        ])
    func picksLanguage(environment: [String: String], expected: Language) {
        #expect(Language(environment: environment) == expected)
    }
}
