//! What the provider has on file for the account's phone numbers: where each sends its calls
//! and its status callbacks. Twilio's form: `GET
//! {api}/2010-04-01/Accounts/{sid}/IncomingPhoneNumbers.json?PhoneNumber=…`.

use serde::Deserialize;

use super::{ProviderApi, ProviderError};

/// A phone number's voice configuration at the provider.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
pub struct NumberSettings {
    /// The number, E.164.
    pub phone_number: String,
    /// The webhook requested when a call comes in.
    #[serde(default)]
    pub voice_url: Option<String>,
    #[serde(default)]
    pub voice_method: Option<String>,
    /// Where the provider reports the call's progress.
    #[serde(default)]
    pub status_callback: Option<String>,
    #[serde(default)]
    pub status_callback_method: Option<String>,
    /// A TwiML application that answers instead of `voice_url` when set.
    #[serde(default)]
    pub voice_application_sid: Option<String>,
}

#[derive(Deserialize)]
struct Page {
    #[serde(default)]
    incoming_phone_numbers: Vec<NumberSettings>,
}

impl ProviderApi {
    /// The account's numbers equal to `phone_number` (none when the account does not have it).
    pub async fn incoming_numbers(
        &self,
        phone_number: &str,
    ) -> Result<Vec<NumberSettings>, ProviderError> {
        let query = form_urlencoded::Serializer::new(String::new())
            .append_pair("PhoneNumber", phone_number)
            .finish();
        let url = format!(
            "{}/2010-04-01/Accounts/{}/IncomingPhoneNumbers.json?{query}",
            self.base, self.account_sid
        );
        let response = self
            .client
            .get(url)
            .basic_auth(&self.key, Some(&self.secret))
            .send()
            .await
            .map_err(|_| ProviderError::Unavailable)?;
        let status = response.status();
        if !status.is_success() {
            return Err(super::refusal(response).await);
        }
        let page: Page = response
            .json()
            .await
            .map_err(|error| ProviderError::Refused {
                status: status.as_u16(),
                message: format!("an answer that is not a list of numbers ({error})"),
            })?;
        Ok(page.incoming_phone_numbers)
    }
}
